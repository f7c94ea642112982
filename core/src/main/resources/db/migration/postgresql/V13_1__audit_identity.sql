-- A keyed event's database role is the one the server knows, not one the client claims: an insert that names
-- another role is refused (cim reads session_user in the same transaction and covers it with the event's MAC).
CREATE FUNCTION cim_audit_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.keyed AND NEW.db_user IS DISTINCT FROM session_user THEN
        RAISE EXCEPTION 'audit_event.db_user must be the session''s role'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_event_identity BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION cim_audit_identity();
