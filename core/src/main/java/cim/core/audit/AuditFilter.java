package cim.core.audit;

import java.time.Instant;

/**
 * Which events `audit log` shows. Null fields do not filter. {@code action} may end in {@code *} to match a
 * family ({@code db.*}). {@code since} is inclusive, {@code until} exclusive.
 */
public record AuditFilter(String customer, String actor, String action, Instant since, Instant until, int limit) {
    public static final int DEFAULT_LIMIT = 100;

    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, Integer.MAX_VALUE);
    }
}
