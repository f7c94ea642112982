-- The embedded database has one local user, who may do everything: nothing to grant here.
COMMENT ON TABLE customer_correction IS 'values a steward set, kept by survivorship above every channel''s';
