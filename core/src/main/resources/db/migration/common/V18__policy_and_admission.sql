-- cim schema v18: the company's rules for the customer file (Art. 11.2), versioned, and the records they refuse.
-- A policy is the YAML an admin set ('cim policy set'), kept whole with its SHA-256 and the audit event that set it,
-- and as cim read it then (expanded: every section, the defaults of what the file left out, which is what applies),
-- signed with the keyset's audit key (mac) so that a policy changed outside cim is refused. No row: the built-in
-- default policy (version 0), documented in the README.
CREATE TABLE customer_policy (
    version   INTEGER       NOT NULL PRIMARY KEY,
    body      VARCHAR       NOT NULL,
    expanded  VARCHAR       NOT NULL,
    sha256    VARCHAR(64)   NOT NULL,
    reason    VARCHAR(1000) NOT NULL,
    actor     VARCHAR(100)  NOT NULL,
    set_seq   BIGINT        NOT NULL,
    mac       VARCHAR(64)   NOT NULL,
    set_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT customer_policy_version CHECK (version > 0),
    CONSTRAINT customer_policy_event UNIQUE (set_seq)
);

-- A channel record 'codes assign' gave no code because it fails the admission rules: one row per channel key (its
-- current version), with the fields that failed (names and reasons, never values) and the policy that refused it.
-- A re-delivered record or a new policy has it examined again; once admitted its row goes.
CREATE TABLE admission_pending (
    source_system   VARCHAR(40)   NOT NULL,
    source_key      VARCHAR(200)  NOT NULL,
    record_id       BIGINT        NOT NULL REFERENCES source_record (id),
    customer_type   VARCHAR(6),
    reasons         VARCHAR(1000) NOT NULL,
    policy_version  INTEGER       NOT NULL,
    refused_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (source_system, source_key)
);
