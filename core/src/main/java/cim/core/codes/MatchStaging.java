package cim.core.codes;

import cim.core.db.BulkInsert;
import cim.core.db.Profiles;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.RECORD_RELATION;
import static cim.core.db.schema.Tables.REVIEW_ITEM;

/**
 * The staging of a full match run on another engine (schema 23): its workers write what they computed into the
 * match_stage_* tables, one transaction per partition, each row tagged with the run's job number; the run then moves
 * it all into the real tables in one transaction ({@link #moveAll}) and deletes it, so that a run that fails anywhere
 * leaves the customer file as it was ({@link #discard}).
 */
public final class MatchStaging {
    /** What is staged: the real table, the columns staged (in the order of the rows), and its staging table. */
    public enum Kind {
        CUSTOMERS(CUSTOMER, Customers.CUSTOMER_INSERT, "match_stage_customer"),
        LINKS(CUSTOMER_LINK, Customers.LINK_INSERT, "match_stage_link"),
        KEYS(MATCH_KEY, List.of(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE, MATCH_KEY.RECORD_ID), "match_stage_key"),
        CROWDED(CROWDED_KEY, List.of(CROWDED_KEY.MATCH_KEY), "match_stage_crowded"),
        REVIEWS(REVIEW_ITEM, List.of(REVIEW_ITEM.SOURCE_SYSTEM, REVIEW_ITEM.SOURCE_KEY, REVIEW_ITEM.RECORD_CODE,
                REVIEW_ITEM.CANDIDATE_CODE, REVIEW_ITEM.SCORE, REVIEW_ITEM.EXPLANATION, REVIEW_ITEM.CREATED_AT),
                "match_stage_review"),
        PENDING(ADMISSION_PENDING, PendingRecords.COLUMNS, "match_stage_pending"),
        RELATIONS(RECORD_RELATION, Relations.COLUMNS, "match_stage_relation");

        private final Table<?> target;
        private final List<Field<?>> columns;
        private final String staging;

        Kind(Table<?> target, List<? extends Field<?>> columns, String staging) {
            this.target = target;
            this.columns = List.copyOf(columns);
            this.staging = staging;
        }
    }

    private static final Field<Long> JOB = DSL.field(DSL.name("stage_job"), SQLDataType.BIGINT);
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        for (Kind kind : Kind.values()) {
            if (!Profiles.MATCH_STAGING.contains(kind.staging)) {
                throw new ExceptionInInitializerError(kind.staging + " is not granted to the importer profile");
            }
        }
    }

    private MatchStaging() {
    }

    /** A new run's job number: random, so that runs never share rows. */
    static long newJob() {
        return RANDOM.nextLong() & Long.MAX_VALUE;
    }

    /** Stages rows of one kind (each in {@link Kind} column order) for job {@code job}, in the caller's transaction. */
    public static void stage(DSLContext tx, long job, Kind kind, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> tagged = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] withJob = Arrays.copyOf(row, row.length + 1);
            withJob[row.length] = job;
            tagged.add(withJob);
        }
        List<Field<?>> columns = new ArrayList<>(unqualified(kind));
        columns.add(JOB);
        BulkInsert.insert(tx, DSL.table(DSL.name(kind.staging)), columns, tagged);
    }

    /** How many rows of a kind the job staged. */
    static long count(DSLContext tx, long job, Kind kind) {
        return tx.fetchCount(DSL.table(DSL.name(kind.staging)), JOB.eq(job));
    }

    /**
     * Moves everything the job staged into the real tables, in the caller's transaction; then deletes it. A record
     * it coded or refused again leaves its channel key's row in the queue of refused records (replaced by the staged
     * one); a key crowded before stays so. How many records waiting in the queue it coded.
     */
    static long moveAll(DSLContext tx, long job) {
        long admitted = unqueue(tx, job, Kind.LINKS);
        unqueue(tx, job, Kind.PENDING);
        for (Kind kind : Kind.values()) {
            List<Field<?>> columns = unqualified(kind);
            Table<?> staged = DSL.table(DSL.name(kind.staging));
            Condition which = JOB.eq(job);
            if (kind == Kind.CROWDED) {
                which = which.andNotExists(DSL.selectOne().from(CROWDED_KEY)
                        .where(CROWDED_KEY.MATCH_KEY.eq(DSL.field(DSL.name(kind.staging, "match_key"), Long.class))));
            }
            tx.insertInto(kind.target).columns(kind.columns).select(DSL.select(columns).from(staged).where(which))
                    .execute();
        }
        discard(tx, job);
        return admitted;
    }

    /** Deletes the queue's rows of the channel keys the job staged rows of {@code kind} for; how many. */
    private static long unqueue(DSLContext tx, long job, Kind kind) {
        String staging = kind.staging;
        return tx.deleteFrom(ADMISSION_PENDING).whereExists(DSL.selectOne().from(DSL.table(DSL.name(staging)))
                .where(JOB.eq(job)
                        .and(DSL.field(DSL.name(staging, "source_system"), String.class)
                                .eq(ADMISSION_PENDING.SOURCE_SYSTEM))
                        .and(DSL.field(DSL.name(staging, "source_key"), String.class)
                                .eq(ADMISSION_PENDING.SOURCE_KEY)))).execute();
    }

    /**
     * Deletes what runs that died left (a killed driver, a database gone before the run could clean up): called
     * under the run's lock, when no other run can be staging.
     */
    static void discardAll(DSLContext dsl) {
        for (Kind kind : Kind.values()) {
            dsl.deleteFrom(DSL.table(DSL.name(kind.staging))).execute();
        }
    }

    /** How many staged review items name a record that another of them names too (a task staged twice). */
    static long repeatedReviews(DSLContext tx, long job) {
        Table<?> reviews = DSL.table(DSL.name(Kind.REVIEWS.staging));
        Field<String> system = DSL.field(DSL.name(REVIEW_ITEM.SOURCE_SYSTEM.getName()), String.class);
        Field<String> key = DSL.field(DSL.name(REVIEW_ITEM.SOURCE_KEY.getName()), String.class);
        return tx.fetchCount(reviews, JOB.eq(job)) - tx.fetchCount(DSL.selectDistinct(system, key).from(reviews)
                .where(JOB.eq(job)));
    }

    /** Deletes whatever the job staged (a run that failed, or one moved). */
    public static void discard(DSLContext dsl, long job) {
        for (Kind kind : Kind.values()) {
            dsl.deleteFrom(DSL.table(DSL.name(kind.staging))).where(JOB.eq(job)).execute();
        }
    }

    private static List<Field<?>> unqualified(Kind kind) {
        return kind.columns.stream().<Field<?>>map(f -> DSL.field(DSL.name(f.getName()), f.getDataType())).toList();
    }
}
