-- cim schema v19: the channels that collect customer information, each with the department answerable for what it
-- collects (Art. 4.3). An import into a channel not listed here is refused. The channels a database already holds
-- records of are registered, under their own code as name and an owner to be named ('cim channels set').
CREATE TABLE channel (
    code        VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    owner       VARCHAR(200) NOT NULL,
    added_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    changed_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO channel (code, name, owner)
SELECT code, code, 'unassigned' FROM (
    SELECT source_system AS code FROM source_record UNION SELECT source_system FROM import_batch
) known;
