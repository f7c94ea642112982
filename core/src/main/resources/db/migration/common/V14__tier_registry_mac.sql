-- The tier registry is signed: each row carries an HMAC-SHA256 under the keyset's audit key over its field, tier,
-- masking, searchability, version and the audit event that set it (set_seq; 0 for the defaults), so that a row
-- changed outside cim (UPDATE tier_registry SET tier = 3 …) or set back to an older signed state is refused by
-- every command that reads or writes protected fields. 'cim db migrate' signs the rows, with the keyset, in the run
-- that applies this migration.
ALTER TABLE tier_registry ADD COLUMN set_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tier_registry ADD COLUMN mac VARCHAR(64);
