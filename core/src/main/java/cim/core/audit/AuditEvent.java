package cim.core.audit;

import java.time.Instant;
import java.util.List;

/** One stored event of the audit trail, as read back. */
public record AuditEvent(long seq, Instant occurredAt, String actor, String osUser, String host, String action,
                         String objectType, String objectId, List<String> subjects, Long rowCount, String reason,
                         String commandLine, String detail, String prevHash, String hash) {
}
