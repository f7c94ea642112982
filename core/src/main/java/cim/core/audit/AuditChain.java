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
 * The chain: each event's link covers the previous link and the event's canonical form (compact JSON, keys sorted,
 * time in UTC to the microsecond), so changing, removing or inserting an event shows. A keyed event's link is an
 * HMAC-SHA256 under the audit key, which the database does not hold; events written before schema 13 have plain
 * SHA-256 links, which anyone can recompute, and are accepted only before the first keyed event.
 */
public final class AuditChain {
    /** The link before the first event. */
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
        if (e.keyed()) {
            fields.put("keyed", true);
            fields.put("db_user", e.dbUser());
            fields.put("client_addr", e.clientAddr());
        }
        return Json.write(fields);
    }

    /** The event's link after {@code prevLink}: keyed under {@code key}, or the legacy SHA-256 for old events. */
    public static String link(AuditKey key, String prevLink, AuditEvent event) {
        String text = prevLink + "\n" + canonical(event);
        return event.keyed() ? key.mac(text) : sha256(text);
    }

    /** The MAC of an anchor: the head's sequence number and link at a time, under the audit key. */
    static String anchorMac(AuditKey key, long seq, String link, Instant writtenAt) {
        return key.mac("cim-audit-anchor\n" + seq + "\n" + link + "\n" + writtenAt);
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
