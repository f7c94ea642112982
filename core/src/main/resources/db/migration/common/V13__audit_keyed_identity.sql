-- The audit chain becomes keyed: from now on each event's link is an HMAC-SHA256 under the audit key of the keyset,
-- which the database never holds, so an owner who rewrites events cannot make the links fit again. Events written
-- before (keyed = FALSE) keep their plain SHA-256 links; the verifier accepts them only before the first keyed one.
-- Each event also records who the database server saw: the role (session_user) and the client address.
ALTER TABLE audit_event ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE audit_event ADD COLUMN db_user VARCHAR(100);
ALTER TABLE audit_event ADD COLUMN client_addr VARCHAR(64);
