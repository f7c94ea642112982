package cim.core.policy;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditEvent;
import cim.core.audit.AuditKey;
import cim.core.audit.AuditTrail;
import cim.core.db.Engine;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerPolicyRecord;
import cim.core.json.Json;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_POLICY;

/**
 * The policy's versions in the database ({@code customer_policy}). Each is the YAML an admin set, kept whole with its
 * SHA-256, and signed with an HMAC under the keyset's audit key over its version, hash and the audit event that set
 * it: a body changed outside cim, or a newer version deleted to bring an older one back, is refused (exit 77) by every
 * command that reads the policy, never applied.
 */
public final class PolicyStore {
    /** What a row's MAC is computed over; its first line keeps it apart from the other MACs under the same key. */
    private static final String MAC_LABEL = "cim policy v1";

    /** A version of the policy as stored; the built-in default has version 0 and no actor, reason or time. */
    public record Stored(Policy policy, String body, String sha256, String actor, String reason,
                         OffsetDateTime setAt) {
        public boolean builtIn() {
            return policy.version() == 0;
        }
    }

    private PolicyStore() {
    }

    /**
     * The policy in force: the newest version set, checked against its signature and the trail; else the default.
     * With no key (an import's dry run, which stores nothing and may run without the keyset), the signature is not
     * checked; the trail still is.
     */
    public static Stored current(DSLContext dsl, AuditKey key) {
        CustomerPolicyRecord row = dsl.selectFrom(CUSTOMER_POLICY).orderBy(CUSTOMER_POLICY.VERSION.desc()).limit(1)
                .fetchOne();
        LastSet lastSet = lastSet(dsl);
        if (row == null && lastSet == null) {
            return new Stored(Policy.DEFAULT, Policy.DEFAULT_YAML, sha256(Policy.DEFAULT_YAML), null, null, null);
        }
        if (row == null || lastSet == null || !lastSet.set(row) || key != null && !intact(key, row)) {
            throw new CimException(Failure.NOT_PERMITTED, "the policy was changed outside cim ("
                    + (row == null ? "its versions were deleted" : "version " + row.getVersion() + " does not carry "
                    + "cim's signature, or is not the newest one set") + "); nothing was read or stored",
                    "see 'cim policy history' and 'cim audit log --action policy.set', then have an admin set the "
                    + "policy cim should use: cim policy set FILE --reason \"…\"");
        }
        return stored(row);
    }

    /** Every version set, newest first, each with whether it still carries its signature. */
    public static Map<Stored, Boolean> history(DSLContext dsl, AuditKey key) {
        Map<Stored, Boolean> versions = new LinkedHashMap<>();
        for (CustomerPolicyRecord row : dsl.selectFrom(CUSTOMER_POLICY).orderBy(CUSTOMER_POLICY.VERSION.desc())
                .fetch()) {
            versions.put(stored(row), intact(key, row));
        }
        return versions;
    }

    /**
     * Sets a new version (admin): validated first (exit 78 naming file:line), audited ({@code policy.set}, with the
     * version, the file's SHA-256 and the reason), then stored and signed, in the caller's transaction.
     *
     * @param where the file, as the user named it
     */
    public static Stored set(DSLContext tx, AuditTrail audit, String body, String where, String reason) {
        Profiles.require(tx, "policy set", Profiles.Profile.ADMIN);
        Policy parsed = PolicyFile.parse(body, where, 1);
        String sha256 = sha256(body);
        int version = tx.select(DSL.coalesce(DSL.max(CUSTOMER_POLICY.VERSION), 0)).from(CUSTOMER_POLICY)
                .fetchSingle().value1() + 1;
        AuditEvent event = audit.append(tx, AuditEntry.of("policy.set").object("policy", String.valueOf(version))
                .reason(reason).detail(Map.of("version", version, "sha256", sha256, "file", where)));
        CustomerPolicyRecord row = tx.newRecord(CUSTOMER_POLICY);
        row.setVersion(version);
        row.setBody(body);
        // what applies is the policy as this cim read it, every section written out: a later cim with other
        // defaults applies the same rules under this version
        row.setExpanded(PolicyFile.render(parsed));
        row.setSha256(sha256);
        row.setReason(reason);
        row.setActor(audit.context().actor());
        row.setSetSeq(event.seq());
        row.setSetAt(OffsetDateTime.now());
        row.setMac(mac(audit.key(), row));
        try {
            row.store();
        } catch (DataAccessException e) {
            // a unique violation: the version is taken (the transaction cannot be asked, on PostgreSQL)
            if ("23505".equals(e.sqlState())) {
                throw new CimException(Failure.LOCKED, "another 'cim policy set' stored version " + version
                        + " while this one ran; nothing was stored", "see 'cim policy history', then run it again");
            }
            throw e;
        }
        return stored(row);
    }

    private static Stored stored(CustomerPolicyRecord row) {
        return new Stored(PolicyFile.parse(row.getExpanded(), "policy version " + row.getVersion(), row.getVersion()),
                row.getBody(), row.getSha256(), row.getActor(), row.getReason(), row.getSetAt());
    }

    private static boolean intact(AuditKey key, CustomerPolicyRecord row) {
        return row.getMac() != null && sha256(row.getBody()).equals(row.getSha256()) && MessageDigest.isEqual(
                mac(key, row).getBytes(StandardCharsets.US_ASCII), row.getMac().getBytes(StandardCharsets.US_ASCII));
    }

    static String mac(AuditKey key, CustomerPolicyRecord row) {
        return key.mac(String.join("\n", MAC_LABEL, String.valueOf(row.getVersion()), row.getSha256(),
                sha256(row.getExpanded()), String.valueOf(row.getSetSeq()), row.getActor(), row.getReason()));
    }

    /** The newest policy.set event: its number, the version it set, and the SHA-256 of the file it set. */
    private record LastSet(long seq, String version, String sha256) {
        /** Whether the row is the one this event set. */
        boolean set(CustomerPolicyRecord row) {
            return row.getSetSeq() == seq && String.valueOf(row.getVersion()).equals(version)
                    && row.getSha256().equals(sha256);
        }
    }

    /** The newest policy.set event; null for none. */
    private static LastSet lastSet(DSLContext dsl) {
        // on PostgreSQL through the owner's function: the roles that read the policy may not read the trail
        var event = Engine.of(dsl).hasRoles()
                ? dsl.resultQuery("SELECT seq, version, detail FROM cim_policy_last_set()").fetchOne()
                : dsl.select(AUDIT_EVENT.SEQ, AUDIT_EVENT.OBJECT_ID, AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                        .where(AUDIT_EVENT.ACTION.eq("policy.set")).orderBy(AUDIT_EVENT.SEQ.desc()).limit(1)
                        .fetchOne();
        if (event == null) {
            return null;
        }
        Object sha;
        try {
            String detail = event.get(2, String.class);
            sha = detail == null ? null : Json.readMap(detail).get("sha256");
        } catch (RuntimeException e) {
            // not cim's event: no row fits it, so the policy is refused
            sha = null;
        }
        return new LastSet(event.get(0, Long.class), event.get(1, String.class), sha == null ? "" : sha.toString());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
