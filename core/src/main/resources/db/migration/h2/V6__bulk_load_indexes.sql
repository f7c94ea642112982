-- On PostgreSQL, version 6 makes the blind indexes hash indexes and checks source_record's batches per statement
-- instead of per row. H2 keeps its B-tree indexes and foreign key: nothing to change here.
SELECT 1;
