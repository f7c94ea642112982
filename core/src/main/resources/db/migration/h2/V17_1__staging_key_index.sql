-- H2 runs the merge's "older versions are no longer current" UPDATE as a scan of source_record with a correlated
-- EXISTS over the staged rows: without an index on the staged keys each source record looked at every staged row
-- (30,000 re-delivered rows into 60,000 took a minute). PostgreSQL stages in a temporary table and joins by hash.
CREATE INDEX import_staging_key ON import_staging (source_system, source_key);
