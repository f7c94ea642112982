-- The embedded database has one local user, who may do everything: nothing to grant or to guard here.
COMMENT ON TABLE role_profile IS 'cim db grant profiles (PostgreSQL only)';
