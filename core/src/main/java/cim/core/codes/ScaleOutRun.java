package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.policy.Admission;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * A full match run as another engine is given it ({@code codes assign --engine spark}): which records to code (the
 * current records without a code of the batches no run has coded, and those refused under another policy version),
 * which it re-scores with them (the current records linked to a customer), between two ids, under which rules, and
 * the job number its staged rows carry; {@code rematch} when the file has customers. Plain values, shipped to every worker; the workers read their records
 * through {@link #read}.
 */
public record ScaleOutRun(long job, List<Long> batches, long firstId, long lastId,
                          CodeAssigner.Thresholds thresholds, ChannelTrust trust, Admission admission,
                          int policyVersion, String actor, boolean rematch) implements Serializable {

    /** What a run reads of a record: all but the values its import cleansed, as {@code codes assign} does. */
    private static final List<org.jooq.Field<?>> READ = Arrays.stream(SOURCE_RECORD.fields())
            .filter(f -> !f.equals(SOURCE_RECORD.CLEANSED)).toList();

    public ScaleOutRun {
        batches = List.copyOf(batches);
    }

    /**
     * What a run leaves to apply when its staged rows are moved: the merges of customers there were (in the order
     * made) and the codes of the customers whose records it changes (records joined, customers absorbed).
     */
    public record Outcome(List<ScaleOut.Merge> merges, java.util.Set<String> changed) {
        public static final Outcome NONE = new Outcome(List.of(), java.util.Set.of());

        public Outcome {
            merges = List.copyOf(merges);
            changed = java.util.Set.copyOf(changed);
        }
    }

    /** Reserves codes for the new customers of the run: the first of {@code count} consecutive sequence numbers. */
    public interface Codes {
        long reserve(boolean organisation, long count);
    }

    /** Records read: the current records in a range, and the codes of those linked to a customer. */
    public record Read(List<SourceRecordRecord> rows, Map<Long, String> codes) { }

    /**
     * The current records with ids from {@code from} to {@code to} (inclusive) that are to be coded or are linked to a
     * customer, in id order.
     */
    public Read read(DSLContext dsl, long from, long to) {
        List<SourceRecordRecord> rows = new ArrayList<>();
        Map<Long, String> codes = new HashMap<>();
        dsl.select(READ).select(CUSTOMER_LINK.CUSTOMER_CODE).from(SOURCE_RECORD)
                .leftJoin(CUSTOMER_LINK).on(Links.currentOfRecord())
                .where(SOURCE_RECORD.ID.between(from, to).and(SOURCE_RECORD.IS_CURRENT.isTrue())
                        .and(CUSTOMER_LINK.CUSTOMER_CODE.isNotNull().or(uncoded())))
                .orderBy(SOURCE_RECORD.ID).forEach(row -> {
                    SourceRecordRecord record = row.into(SOURCE_RECORD);
                    rows.add(record);
                    if (row.get(CUSTOMER_LINK.CUSTOMER_CODE) != null) {
                        codes.put(record.getId(), row.get(CUSTOMER_LINK.CUSTOMER_CODE));
                    }
                });
        return new Read(rows, codes);
    }

    /** How many records the run codes (each gets a link or waits for admission). */
    long count(DSLContext dsl) {
        return dsl.fetchCount(SOURCE_RECORD, SOURCE_RECORD.ID.between(firstId, lastId)
                .and(SOURCE_RECORD.IS_CURRENT.isTrue())
                .andNotExists(DSL.selectOne().from(CUSTOMER_LINK).where(Links.currentOfRecord()))
                .and(uncoded()));
    }

    /**
     * Of the records without a code, those the run codes: of the batches no run coded, or refused under another
     * policy version (as {@code codes assign} examines them again).
     */
    private Condition uncoded() {
        return Batches.condition(batches).or(SOURCE_RECORD.ID.in(DSL.select(ADMISSION_PENDING.RECORD_ID)
                .from(ADMISSION_PENDING)
                .where(ADMISSION_PENDING.POLICY_VERSION.ne(policyVersion))));
    }

    /** Opens records read by {@link #read}: those to code under the run's admission rules. */
    public ScaleOut.Slice open(Read read, FieldProtector protector) {
        return ScaleOut.open(read.rows(), read.codes(), admission, policyVersion, protector);
    }

    /** The code of the customer given sequence number {@code sequence}. */
    public static String code(boolean organisation, long sequence) {
        return CustomerCode.of(organisation, sequence).value();
    }
}
