-- cim schema v16: the blind-index key rotates too. A rotation is of the encryption key (every sealed value moved to
-- the new key) or of the blind-index key (every blind index and match key computed again from the values).
ALTER TABLE key_rotation ADD COLUMN purpose VARCHAR(20) DEFAULT 'encryption' NOT NULL;
ALTER TABLE key_rotation ADD CONSTRAINT key_rotation_purpose CHECK (purpose IN ('encryption', 'blind_index'));
