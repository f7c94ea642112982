package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditKey;
import cim.core.db.Engine;
import cim.core.db.schema.tables.records.TierRegistryRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.TIER_REGISTRY;

/**
 * The tier registry as stored in the database: the one source of how each field is protected and masked.
 *
 * <p>Each row is signed with an HMAC under the keyset's audit key, over what decides protection and the audit event
 * that last set it ({@code set_seq}). A row changed outside cim no longer fits its MAC; an older signed row put back
 * no longer names the field's newest {@code tiers.set} event (which the keyed chain keeps). Either way every command
 * that reads or writes protected fields refuses (exit 77), before it stores anything.
 */
public final class TierRegistry {
    /** What a row's MAC is computed over; its first line keeps it apart from the audit chain's links. */
    private static final String MAC_LABEL = "cim tier registry v1";
    /**
     * The advisory lock that orders changes of tier after the writers under way (PostgreSQL): "cimtiers" as a number,
     * outside the int range of the channels' import locks (a channel name built to hash to it cannot take it) and
     * apart from the job locks' keys.
     */
    private static final long LOCK_KEY = 0x63696d7469657273L;

    private final Map<CustomerField, FieldPolicy> policies;

    private TierRegistry(Map<CustomerField, FieldPolicy> policies) {
        this.policies = policies;
    }

    /**
     * Holds the registry, for the caller's transaction, as a writer that protects values by it (an import): taken
     * before the registry is read, it keeps a change of tier ({@link #lockForChange}) from starting until the
     * transaction ends, so every value the writer stores is either there for the change to re-protect or protected
     * by the tier the change set. Writers share it; on H2, where one run writes at a time, it locks the rows.
     */
    public static void lockForWriting(DSLContext tx) {
        Engine.of(tx).lockRegistryShared(tx, LOCK_KEY);
    }

    /**
     * Holds the registry alone, for the caller's transaction, to change a tier: waits for the writers that hold it
     * ({@link #lockForWriting}) to commit, and keeps new ones waiting until the change is recorded.
     */
    static void lockForChange(DSLContext tx) {
        lockForChange(tx, CHANGE_WAIT);
    }

    static void lockForChange(DSLContext tx, java.time.Duration wait) {
        if (!Engine.of(tx).lockRegistryAlone(tx, LOCK_KEY, wait)) {
            throw new CimException(Failure.LOCKED, "imports under way still hold the tier registry after "
                    + wait.toSeconds() + " s: a tier change waits for them to commit",
                    "run the command again when they have finished");
        }
    }

    /** How long a change of tier waits for the imports under way. */
    private static final java.time.Duration CHANGE_WAIT = java.time.Duration.ofSeconds(60);

    /** The registry as stored, unchecked: for showing it ('tiers list'), never for protecting values. */
    public static TierRegistry load(DSLContext dsl) {
        return of(dsl.selectFrom(TIER_REGISTRY).fetch());
    }

    private static TierRegistry of(List<TierRegistryRecord> rows) {
        Map<CustomerField, FieldPolicy> policies = new EnumMap<>(CustomerField.class);
        rows.forEach(r -> CustomerField.find(r.getField()).ifPresent(field -> policies.put(field, policy(field, r))));
        for (CustomerField field : CustomerField.values()) {
            if (!policies.containsKey(field)) {
                throw new IllegalStateException("the tier registry has no entry for " + field);
            }
        }
        return new TierRegistry(policies);
    }

    /**
     * The registry, each row checked against its MAC and the audit trail.
     *
     * @throws CimException (not permitted) naming the first field changed outside cim
     */
    public static TierRegistry load(DSLContext dsl, AuditKey key) {
        List<TierRegistryRecord> rows = dsl.selectFrom(TIER_REGISTRY).orderBy(TIER_REGISTRY.FIELD).fetch();
        CustomerField changed = firstChanged(rows, lastSet(dsl), key);
        if (changed != null && neverSigned(dsl)) {
            throw new CimException(Failure.NOT_PERMITTED, "the tier registry carries no signatures: the run of 'cim db "
                    + "migrate' that applied schema 14 signs them, so it was interrupted before it could, or they were "
                    + "removed; nothing was read or stored", "see 'cim tiers verify', then have an admin set the tier "
                    + "cim should use for each field: cim tiers set FIELD --tier N --reason \"…\" (it re-protects "
                    + "the stored values and signs the entry)");
        }
        if (changed != null) {
            throw new CimException(Failure.NOT_PERMITTED, "the tier registry's entry for " + changed.column()
                    + " was changed outside cim (it does not carry cim's signature, or is an older one put back); "
                    + "nothing was read or stored", "see 'cim tiers verify' and 'cim tiers history " + changed.column()
                    + "', then have an admin set the tier cim should use: cim tiers set " + changed.column()
                    + " --tier N --reason \"…\" (it re-protects the stored values and signs the entry again)");
        }
        return of(rows);
    }

    /** The fields whose rows do not verify, in field order. */
    public static List<CustomerField> changed(DSLContext dsl, AuditKey key) {
        List<CustomerField> changed = new ArrayList<>();
        Map<String, Long> lastSet = lastSet(dsl);
        for (TierRegistryRecord row : dsl.selectFrom(TIER_REGISTRY).orderBy(TIER_REGISTRY.FIELD).fetch()) {
            CustomerField field = CustomerField.find(row.getField()).orElse(null);
            if (field != null && !verifies(key, row, lastSet.getOrDefault(row.getField(), 0L))) {
                changed.add(field);
            }
        }
        return changed;
    }

    private static CustomerField firstChanged(List<TierRegistryRecord> rows, Map<String, Long> lastSet,
                                              AuditKey key) {
        for (TierRegistryRecord row : rows) {
            CustomerField field = CustomerField.find(row.getField()).orElse(null);
            if (field != null && !verifies(key, row, lastSet.getOrDefault(row.getField(), 0L))) {
                return field;
            }
        }
        return null;
    }

    /** Whether a row carries its MAC and names the newest event that set its field. */
    static boolean verifies(AuditKey key, TierRegistryRecord row, long lastSetSeq) {
        return row.getMac() != null && row.getSetSeq() == lastSetSeq && MessageDigest.isEqual(
                mac(key, row).getBytes(StandardCharsets.US_ASCII), row.getMac().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether the registry looks as if never signed: no row carries a MAC and the trail has no {@code tiers.sign}
     * event. Only for the error message: the database's owner can make it look so, so nothing signs on its word.
     */
    public static boolean neverSigned(DSLContext dsl) {
        if (dsl.fetchExists(TIER_REGISTRY, TIER_REGISTRY.MAC.isNotNull())) {
            return false;
        }
        return neverSignedByTrail(dsl);
    }

    /** Whether the trail has no {@code tiers.sign} event. */
    private static boolean neverSignedByTrail(DSLContext dsl) {
        // on PostgreSQL through the owner's function: the roles that check the registry may not read the trail
        return Engine.of(dsl).hasRoles()
                ? !dsl.resultQuery("SELECT cim_tier_ever_signed()").fetchSingle(0, Boolean.class)
                : !dsl.fetchExists(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("tiers.sign"));
    }

    /**
     * Signs every row (the migration that adds the signatures, run with the keyset); returns how many. Refused when
     * the trail already records a signing: the migration can only run again if the database's owner took it out of
     * the schema's history (and the signatures with it), to have a changed registry signed.
     */
    public static int signAll(DSLContext tx, AuditKey key) {
        if (!neverSignedByTrail(tx)) {
            throw new CimException(Failure.NOT_PERMITTED, "the tier registry was signed before (the audit trail has "
                    + "its tiers.sign event), yet this migration would sign it again: schema 14 was taken out of the "
                    + "schema's history; nothing was signed", "see 'cim tiers verify' and 'cim audit verify', then have "
                    + "an admin set the tier cim should use for each field the verify names: cim tiers set FIELD "
                    + "--tier N --reason \"…\"");
        }
        Map<String, Long> lastSet = lastSet(tx);
        int signed = 0;
        for (TierRegistryRecord row : tx.selectFrom(TIER_REGISTRY).forUpdate().fetch()) {
            row.setSetSeq(lastSet.getOrDefault(row.getField(), 0L));
            signed += sign(tx, key, row);
        }
        return signed;
    }

    /** Stores a row as cim set it, with its MAC; the caller has set its tier, version and set_seq. */
    static int sign(DSLContext tx, AuditKey key, TierRegistryRecord row) {
        return tx.update(TIER_REGISTRY).set(TIER_REGISTRY.TIER, row.getTier()).set(TIER_REGISTRY.MASKING, row.getMasking())
                .set(TIER_REGISTRY.VERSION, row.getVersion()).set(TIER_REGISTRY.SET_SEQ, row.getSetSeq())
                .set(TIER_REGISTRY.CHANGED_AT, row.getChangedAt()).set(TIER_REGISTRY.MAC, mac(key, row))
                .where(TIER_REGISTRY.FIELD.eq(row.getField())).execute();
    }

    private static String mac(AuditKey key, TierRegistryRecord row) {
        return key.mac(String.join("\n", MAC_LABEL, row.getField(), String.valueOf(row.getTier()), row.getMasking(),
                String.valueOf(row.getSearchable()), String.valueOf(row.getVersion()),
                String.valueOf(row.getSetSeq())));
    }

    /** The newest tiers.set event of each field, from the keyed audit trail. */
    private static Map<String, Long> lastSet(DSLContext dsl) {
        Map<String, Long> last = new HashMap<>();
        if (Engine.of(dsl).hasRoles()) {
            dsl.resultQuery("SELECT field, last_seq FROM cim_tier_last_set()")
                    .forEach(r -> last.put(r.get(0, String.class), r.get(1, Long.class)));
            return last;
        }
        dsl.select(AUDIT_EVENT.OBJECT_ID, DSL.max(AUDIT_EVENT.SEQ)).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.ACTION.eq("tiers.set").and(AUDIT_EVENT.OBJECT_TYPE.eq("field")))
                .groupBy(AUDIT_EVENT.OBJECT_ID)
                .forEach(r -> last.put(r.value1(), r.value2()));
        return last;
    }

    private static FieldPolicy policy(CustomerField field, TierRegistryRecord r) {
        return new FieldPolicy(field, r.getCategory(), r.getOrigin(), Tier.of(r.getTier()),
                MaskingRule.parse(r.getMasking()), r.getDescription(), r.getVersion());
    }

    public FieldPolicy policy(CustomerField field) {
        return policies.get(field);
    }

    public Tier tier(CustomerField field) {
        return policies.get(field).tier();
    }

    public Collection<FieldPolicy> all() {
        return policies.values();
    }
}
