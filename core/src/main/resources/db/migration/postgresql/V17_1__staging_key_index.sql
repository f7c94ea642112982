-- PostgreSQL stages each import in a temporary table of its own and joins it by hash: nothing to index here (the
-- embedded database's migration of this version indexes its shared staging table).
COMMENT ON TABLE import_staging IS 'rows of an import whose key the channel delivered before, until the merge';
