package cim.core.audit;

import cim.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain: each event's hash is SHA-256 over the previous hash and the event's canonical form
 * (compact JSON, keys sorted, time in UTC to the microsecond), so changing, removing or inserting an event shows.
 */
public final class AuditChain {
    /** The hash before the first event. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String canonical(AuditEvent e) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("seq", e.seq());
        fields.put("occurred_at", e.occurredAt().toString());
        fields.put("actor", e.actor());
        fields.put("os_user", e.osUser());
        fields.put("host", e.host());
        fields.put("action", e.action());
        fields.put("object_type", e.objectType());
        fields.put("object_id", e.objectId());
        fields.put("subjects", e.subjects());
        fields.put("row_count", e.rowCount());
        fields.put("reason", e.reason());
        fields.put("command_line", e.commandLine());
        fields.put("detail", e.detail());
        return Json.write(fields);
    }

    public static String hash(String prevHash, AuditEvent event) {
        return sha256(prevHash + "\n" + canonical(event));
    }

    /** Timestamps are kept to the microsecond, the precision both databases store. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
