package cim.core.codes;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.BulkInsert;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.policy.Admission;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Row2;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The records {@code codes assign} gave no code because they fail the admission rules ({@code admission_pending},
 * one row per channel key). A run examines a pending record again when the policy changed since it was refused, or
 * when the channel delivered it again (a new version, in a new batch); one it admits leaves the queue.
 */
public final class PendingRecords {
    /** A record refused, and why (field names, never values). */
    record Refusal(long recordId, String sourceSystem, String sourceKey, String customerType, String reasons) { }

    /** A pending record as {@code codes pending} lists it. */
    public record Pending(String sourceSystem, String sourceKey, long recordId, String customerType, String reasons,
                          int policyVersion, OffsetDateTime refusedAt) { }

    /** The queue: up to {@code limit} records (oldest refusal first), and how many each channel has. */
    public record Queue(List<Pending> records, Map<String, Long> perChannel, long total) { }

    private PendingRecords() {
    }

    /** The columns of a queued record's row. */
    static final List<org.jooq.Field<?>> COLUMNS = List.of(ADMISSION_PENDING.SOURCE_SYSTEM,
            ADMISSION_PENDING.SOURCE_KEY, ADMISSION_PENDING.RECORD_ID, ADMISSION_PENDING.CUSTOMER_TYPE,
            ADMISSION_PENDING.REASONS, ADMISSION_PENDING.POLICY_VERSION, ADMISSION_PENDING.REFUSED_AT);

    /** The queue's rows of refused records ({@link #COLUMNS} order), refused now under policy {@code version}. */
    static List<Object[]> rows(List<Refusal> refused, int version) {
        OffsetDateTime now = OffsetDateTime.now();
        return refused.stream().map(r -> new Object[] {r.sourceSystem(), r.sourceKey(), r.recordId(),
            r.customerType(), r.reasons(), version, now}).toList();
    }

    /** The channel keys pending when a run begins, to know whose rows its admissions and refusals replace. */
    static Set<String> keys(DSLContext dsl) {
        Set<String> keys = new HashSet<>();
        dsl.select(ADMISSION_PENDING.SOURCE_SYSTEM, ADMISSION_PENDING.SOURCE_KEY).from(ADMISSION_PENDING)
                .forEach(r -> keys.add(key(r.value1(), r.value2())));
        return keys;
    }

    /** The channel keys waiting in the queue, as {@link #key} writes them: for the quality rule that counts them. */
    public static Set<String> refusedKeys(DSLContext dsl) {
        return keys(dsl);
    }

    /** A channel key as one string. */
    public static String key(String sourceSystem, String sourceKey) {
        return sourceSystem + '\u0000' + sourceKey;
    }

    /** The still uncoded records refused under another policy version than {@code version}: to be examined again. */
    static List<Long> refusedUnder(DSLContext dsl, int version, Condition unlinked) {
        return dsl.select(ADMISSION_PENDING.RECORD_ID).from(ADMISSION_PENDING).join(SOURCE_RECORD)
                .on(SOURCE_RECORD.ID.eq(ADMISSION_PENDING.RECORD_ID))
                .where(ADMISSION_PENDING.POLICY_VERSION.ne(version).and(unlinked))
                .fetch(ADMISSION_PENDING.RECORD_ID);
    }

    /** The chunk's rows the rules admit; those they refuse go to {@code refused}. */
    static List<SourceRecordRecord> admit(List<SourceRecordRecord> rows, Admission admission, List<Refusal> refused) {
        List<SourceRecordRecord> admitted = new ArrayList<>(rows.size());
        for (SourceRecordRecord row : rows) {
            String reasons = admission.refusal(row);
            if (reasons == null) {
                admitted.add(row);
            } else {
                // the column holds 1,000 characters; a policy of many fields can say more
                refused.add(new Refusal(row.getId(), row.getSourceSystem(), row.getSourceKey(), row.getCustomerType(),
                        reasons.length() <= 1000 ? reasons : reasons.substring(0, 999) + "…"));
            }
        }
        return admitted;
    }

    /**
     * In the chunk's transaction: the refused records (re)placed in the queue under {@code version}, and the rows of
     * records that were pending and are admitted now taken out; audited as one {@code codes.refuse} event.
     */
    static void write(DSLContext tx, AuditTrail audit, List<Refusal> refused, List<SourceRecordRecord> admitted,
                      Set<String> pending, int version) {
        List<Row2<String, String>> replaced = new ArrayList<>();
        admitted.stream().filter(r -> pending.contains(key(r.getSourceSystem(), r.getSourceKey())))
                .forEach(r -> replaced.add(DSL.row(r.getSourceSystem(), r.getSourceKey())));
        long readmitted = replaced.size();
        refused.stream().filter(r -> pending.contains(key(r.sourceSystem(), r.sourceKey())))
                .forEach(r -> replaced.add(DSL.row(r.sourceSystem(), r.sourceKey())));
        for (int from = 0; from < replaced.size(); from += 1000) {
            tx.deleteFrom(ADMISSION_PENDING).where(DSL.row(ADMISSION_PENDING.SOURCE_SYSTEM,
                    ADMISSION_PENDING.SOURCE_KEY).in(replaced.subList(from, Math.min(replaced.size(), from + 1000))))
                    .execute();
        }
        BulkInsert.insert(tx, ADMISSION_PENDING, COLUMNS, rows(refused, version));
        if (!refused.isEmpty() || readmitted > 0) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("policy_version", version);
            detail.put("refused", refused.size());
            detail.put("admitted_from_queue", readmitted);
            audit.append(tx, AuditEntry.of("codes.refuse").rows(refused.size()).detail(detail));
        }
    }

    /** The queue, optionally of one channel, oldest refusal first, up to {@code limit} records. */
    public static Queue list(DSLContext dsl, String channel, int limit) {
        Condition which = channel == null ? DSL.trueCondition() : ADMISSION_PENDING.SOURCE_SYSTEM.eq(channel);
        List<Pending> records = dsl.selectFrom(ADMISSION_PENDING).where(which)
                .orderBy(ADMISSION_PENDING.REFUSED_AT, ADMISSION_PENDING.SOURCE_SYSTEM, ADMISSION_PENDING.SOURCE_KEY)
                .limit(limit).fetch(r -> new Pending(r.getSourceSystem(), r.getSourceKey(), r.getRecordId(),
                        r.getCustomerType(), r.getReasons(), r.getPolicyVersion(), r.getRefusedAt()));
        Map<String, Long> perChannel = new LinkedHashMap<>();
        dsl.select(ADMISSION_PENDING.SOURCE_SYSTEM, DSL.count()).from(ADMISSION_PENDING).where(which)
                .groupBy(ADMISSION_PENDING.SOURCE_SYSTEM).orderBy(ADMISSION_PENDING.SOURCE_SYSTEM)
                .forEach(r -> perChannel.put(r.value1(), r.value2().longValue()));
        return new Queue(records, perChannel, perChannel.values().stream().mapToLong(Long::longValue).sum());
    }
}
