-- The audit trail is append-only: nobody, not even the owner, updates or deletes an event in place.
CREATE FUNCTION cim_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION cim_audit_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION cim_audit_append_only();
CREATE TRIGGER audit_subject_append_only BEFORE UPDATE OR DELETE ON audit_subject
    FOR EACH ROW EXECUTE FUNCTION cim_audit_append_only();
CREATE TRIGGER audit_subject_no_truncate BEFORE TRUNCATE ON audit_subject
    FOR EACH STATEMENT EXECUTE FUNCTION cim_audit_append_only();
