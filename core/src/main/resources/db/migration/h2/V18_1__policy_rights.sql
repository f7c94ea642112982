-- The embedded database has one local user, who may do everything: nothing to grant here.
COMMENT ON TABLE admission_pending IS 'records refused by the admission rules, until admitted';
