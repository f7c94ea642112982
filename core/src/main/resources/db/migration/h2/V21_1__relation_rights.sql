-- The embedded database has one local user, who may do everything: nothing to grant here.
COMMENT ON TABLE record_relation IS 'relationships between channel records, resolved to customer codes when read';
