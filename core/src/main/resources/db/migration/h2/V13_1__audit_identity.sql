-- The embedded database has one local user; its events record that user as the database saw it (SESSION_USER).
COMMENT ON COLUMN audit_event.db_user IS 'the database role, as the server saw it';
