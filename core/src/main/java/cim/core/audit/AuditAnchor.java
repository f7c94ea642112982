package cim.core.audit;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.json.Json;
import org.jooq.DSLContext;
import org.jooq.Record2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static cim.core.db.schema.Tables.AUDIT_HEAD;

/**
 * The chain's head at one moment (sequence number and link), with a MAC under the audit key: kept away from the
 * database (syslog, WORM storage, another host), it lets {@code audit verify --anchor} show that events were
 * deleted from the end and the head set back, which the chain alone cannot.
 */
public record AuditAnchor(long seq, String link, Instant writtenAt, String mac) {
    static final String FORMAT = "cim-audit-anchor-1";

    /** The current head, signed. */
    public static AuditAnchor ofHead(DSLContext dsl, AuditKey key) {
        Record2<Long, String> head = dsl.select(AUDIT_HEAD.LAST_SEQ, AUDIT_HEAD.LAST_HASH)
                .from(AUDIT_HEAD).where(AUDIT_HEAD.ID.eq((short) 1)).fetchSingle();
        return of(head.value1(), head.value2(), key);
    }

    /** A head, signed now: pass the one a verification found intact, so that exactly that head is certified. */
    public static AuditAnchor of(long seq, String link, AuditKey key) {
        Instant now = AuditChain.truncate(Instant.now());
        return new AuditAnchor(seq, link, now, AuditChain.anchorMac(key, seq, link, now));
    }

    /** Whether the audit key wrote this anchor as it is. */
    public boolean authentic(AuditKey key) {
        return AuditKey.same(AuditChain.anchorMac(key, seq, link, writtenAt), mac);
    }

    /** The file's content: one JSON line. */
    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("format", FORMAT);
        fields.put("seq", seq);
        fields.put("hash", link);
        fields.put("time", writtenAt.toString());
        fields.put("mac", mac);
        return Json.write(fields) + "\n";
    }

    /** Reads an anchor file; anything but one written by {@code audit anchor} is exit 65 naming the file. */
    public static AuditAnchor read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CimException(Failure.INPUT, "--anchor: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")", "give the file that 'cim audit anchor --out FILE' wrote");
        }
        try {
            Map<String, Object> fields = Json.readMap(text.strip());
            if (!FORMAT.equals(fields.get("format"))) {
                throw new IllegalArgumentException("format");
            }
            long seq = ((Number) fields.get("seq")).longValue();
            if (seq < 0) {
                throw new IllegalArgumentException("seq");
            }
            return new AuditAnchor(seq, (String) fields.get("hash"), Instant.parse((String) fields.get("time")),
                    (String) fields.get("mac"));
        } catch (RuntimeException e) {
            throw new CimException(Failure.INPUT, "--anchor: " + file + " is not an audit anchor",
                    "give the file that 'cim audit anchor --out FILE' wrote");
        }
    }
}
