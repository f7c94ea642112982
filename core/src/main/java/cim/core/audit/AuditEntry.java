package cim.core.audit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened, as the caller describes it: the action, its object, the customers concerned, a count, the reason
 * and a detail document. It must never hold a tier-1 value in clear: pass masked values or blind indexes.
 */
public record AuditEntry(String action, String objectType, String objectId, List<String> subjects, Long rowCount,
                         String reason, Map<String, Object> detail) {

    public AuditEntry {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        detail = detail == null ? Map.of() : new TreeMap<>(detail);
    }

    public static AuditEntry of(String action) {
        return new AuditEntry(action, null, null, List.of(), null, null, Map.of());
    }

    public AuditEntry object(String type, String id) {
        return new AuditEntry(action, type, id, subjects, rowCount, reason, detail);
    }

    public AuditEntry subjects(List<String> customerCodes) {
        return new AuditEntry(action, objectType, objectId, customerCodes, rowCount, reason, detail);
    }

    public AuditEntry rows(long count) {
        return new AuditEntry(action, objectType, objectId, subjects, count, reason, detail);
    }

    public AuditEntry reason(String why) {
        return new AuditEntry(action, objectType, objectId, subjects, rowCount, why, detail);
    }

    public AuditEntry detail(Map<String, Object> document) {
        return new AuditEntry(action, objectType, objectId, subjects, rowCount, reason, document);
    }
}
