-- cim schema v17: codes assign remembers which import batches it has coded, not the highest record id it saw. Ids are
-- handed out before an import commits, so a big import still running while a small one committed had ids below
-- that mark when it committed, and its records never got a code. A batch commits whole, so "coded" is exact.
ALTER TABLE import_batch ADD COLUMN coded_at TIMESTAMP WITH TIME ZONE;
-- a batch is coded once every current record of it is linked; those a mark skipped stay to be coded now
UPDATE import_batch SET coded_at = CURRENT_TIMESTAMP
WHERE state = 'committed' AND NOT EXISTS (
    SELECT 1 FROM source_record s WHERE s.batch_id = import_batch.id AND s.is_current AND NOT EXISTS (
        SELECT 1 FROM customer_link l WHERE l.source_system = s.source_system AND l.source_key = s.source_key
            AND l.valid_to IS NULL));
DROP TABLE job_state;
