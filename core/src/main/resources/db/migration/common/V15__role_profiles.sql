-- The cim profile each database role was given with 'cim db grant ROLE --profile P' (PostgreSQL: the embedded
-- database has one all-powerful local user). The grants themselves are the database's; this table says which
-- profile they were made for, so that the audit trail's guard can tell a steward or an admin, who may reveal
-- protected values, from the other profiles, who may not.
CREATE TABLE role_profile (
    role_name   VARCHAR(63)  NOT NULL,
    profile     VARCHAR(12)  NOT NULL,
    granted_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (role_name, profile),
    CONSTRAINT role_profile_profile CHECK (profile IN ('reader', 'importer', 'steward', 'auditor', 'admin'))
);
