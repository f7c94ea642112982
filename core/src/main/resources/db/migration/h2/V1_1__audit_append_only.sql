-- The audit trail is append-only on the embedded database too (see cim.core.audit.AppendOnlyTrigger).
CREATE TRIGGER audit_event_append_only BEFORE UPDATE, DELETE ON audit_event
    FOR EACH ROW CALL 'cim.core.audit.AppendOnlyTrigger';
CREATE TRIGGER audit_subject_append_only BEFORE UPDATE, DELETE ON audit_subject
    FOR EACH ROW CALL 'cim.core.audit.AppendOnlyTrigger';
