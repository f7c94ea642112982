package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.policy.Admission;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * A full match run as another engine is given it ({@code codes assign --engine spark}): which records to code (the
 * current records of the batches no run has coded, between two ids), under which rules, and the job number its
 * staged rows carry. Plain values, shipped to every worker; the workers read their records through {@link #read}.
 */
public record ScaleOutRun(long job, List<Long> batches, long firstId, long lastId,
                          CodeAssigner.Thresholds thresholds, ChannelTrust trust, Admission admission,
                          int policyVersion, String actor) implements Serializable {

    /** What a run reads of a record: all but the values its import cleansed, as {@code codes assign} does. */
    private static final List<org.jooq.Field<?>> READ = Arrays.stream(SOURCE_RECORD.fields())
            .filter(f -> !f.equals(SOURCE_RECORD.CLEANSED)).toList();

    public ScaleOutRun {
        batches = List.copyOf(batches);
    }

    /** Reserves codes for the new customers of the run: the first of {@code count} consecutive sequence numbers. */
    public interface Codes {
        long reserve(boolean organisation, long count);
    }

    /** The records to code with ids from {@code from} to {@code to} (inclusive), in id order. */
    public List<SourceRecordRecord> read(DSLContext dsl, long from, long to) {
        return dsl.select(READ).from(SOURCE_RECORD).where(toCode(from, to)).orderBy(SOURCE_RECORD.ID)
                .fetchInto(SOURCE_RECORD);
    }

    /** How many records the run codes (each gets a link or waits for admission). */
    long count(DSLContext dsl) {
        return dsl.fetchCount(SOURCE_RECORD, toCode(firstId, lastId));
    }

    private Condition toCode(long from, long to) {
        Condition batch = batches.size() <= 1000 ? SOURCE_RECORD.BATCH_ID.in(batches)
                : SOURCE_RECORD.BATCH_ID.le(batches.get(batches.size() - 1));
        return SOURCE_RECORD.ID.between(from, to).and(SOURCE_RECORD.IS_CURRENT.isTrue()).and(batch);
    }

    /** Opens records read by {@link #read} under the run's admission rules. */
    public ScaleOut.Slice open(List<SourceRecordRecord> rows, FieldProtector protector) {
        return ScaleOut.open(rows, admission, policyVersion, protector);
    }

    /** The code of the customer given sequence number {@code sequence}. */
    public static String code(boolean organisation, long sequence) {
        return CustomerCode.of(organisation, sequence).value();
    }
}
