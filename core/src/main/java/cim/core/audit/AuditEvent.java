package cim.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * One stored event of the audit trail, as read back. The actor, OS user and host are what the cim process said;
 * the database user and client address are what the database server saw. {@code keyed} tells whether its link is
 * an HMAC under the audit key (every event since schema 13) or a plain SHA-256 (events written before).
 */
public record AuditEvent(long seq, Instant occurredAt, String actor, String osUser, String host, String dbUser,
                         String clientAddr, String action, String objectType, String objectId, List<String> subjects,
                         Long rowCount, String reason, String commandLine, String detail, boolean keyed,
                         String prevHash, String hash) {
}
