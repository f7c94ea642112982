-- cim schema v20: the organisation unit (branch, 机构代码) that collected a record, so that quality and exports can
-- be taken per branch and the region-channel questions of Art. 4.4 have something to hold to; and collected_at, the
-- time the channel collected it (the column was there, never filled), in the staging table too.
ALTER TABLE source_record ADD COLUMN branch VARCHAR(40);
ALTER TABLE import_staging ADD COLUMN branch VARCHAR(40);
ALTER TABLE import_staging ADD COLUMN collected_at TIMESTAMP WITH TIME ZONE;
-- The values an import's cleansing corrected (policy cleansing:), as received: a JSON object of field to value, sealed
-- whole under the keyset whatever the fields' tiers (so that a later move into tier 1 leaves nothing in clear).
ALTER TABLE source_record ADD COLUMN cleansed VARCHAR;
ALTER TABLE import_staging ADD COLUMN cleansed VARCHAR;
