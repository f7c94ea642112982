-- cim schema v19: the channels that collect customer information, each with the department answerable for what it
-- collects (Art. 4.3). An import into a channel not listed here is refused. Each row is signed with the keyset's
-- audit key over what it says and the audit event that set it (set_seq), so that a channel added or changed in SQL,
-- outside cim and its audit trail, is refused. None is registered by the upgrade: an admin registers each channel
-- ('cim channels add'), which says who answers for it; until then its imports are refused with that command.
CREATE TABLE channel (
    code        VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    owner       VARCHAR(200) NOT NULL,
    added_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    changed_at  TIMESTAMP WITH TIME ZONE,
    set_seq     BIGINT       NOT NULL,
    mac         VARCHAR(64)  NOT NULL
);
