package cim.core.codes;

import cim.core.Background;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.db.Profiles;
import cim.core.db.Statistics;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.policy.Admission;
import cim.core.policy.Policy;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.jooq.impl.DSL.selectOne;

/**
 * {@code cim codes assign}: links every current source record without a code to a customer, incrementally. Records
 * are taken in chunks (each chunk one transaction, with its audit event); each record is looked up by its blocking
 * keys among the customers that share one (never all pairs), compared with their records, and then linked
 * (deterministic rule, or score at or above the link threshold), given a new code and put in the review queue
 * (score between the thresholds), or given a new code. A record that ties two customers together merges them
 * into the older one, unless their records conflict or a steward separated them. One run at a time
 * ({@link JobLock}); the next chunk is read and opened while the current one is matched and the one before it
 * written; the customers a run has seen are remembered for its later chunks ({@link KnownCustomers}), and so are
 * all blocking keys when the run brings many records for the keys there are ({@link RunKeys}; such a run builds
 * the index of the keys once at its end instead of row by row, {@link KeyIndex}).
 */
public final class CodeAssigner {
    public static final int DEFAULT_CHUNK = 10_000;
    public static final String LOCK = "codes.assign";
    /**
     * Who takes {@link #LOCK}: every job that writes golden records or match keys, and a tier change, which must not
     * race one.
     */
    public static final String HOLDERS = "'cim codes assign', a merge or unmerge, 'cim tiers set' or 'cim keys rotate "
            + "--blind-index'";
    /**
     * What a run reads of a record: all but the values its import cleansed, as received (sealed, and on nearly every
     * record of a channel that writes 男/女: a tenth more to read for nothing).
     */
    private static final List<org.jooq.Field<?>> MATCHED_COLUMNS = Arrays.stream(SOURCE_RECORD.fields())
            .filter(f -> !f.equals(SOURCE_RECORD.CLEANSED)).toList();

    /** The score at or above which a record links by itself, and the one from which it goes to review. */
    public record Thresholds(double link, double review) implements Serializable {
        public static final Thresholds DEFAULT = new Thresholds(7.5, 4.5);
    }

    /**
     * How a run goes: with {@code admission} (the policy's, whose version is {@code policyVersion}), a record that
     * fails it gets no code and waits in {@link PendingRecords}.
     */
    public record Options(Long batch, boolean dryRun, boolean waitForLock, int chunkSize, Thresholds thresholds,
                          ChannelTrust trust, Admission admission, int policyVersion) {
        /** A run that admits every record (no admission rules). */
        public Options(Long batch, boolean dryRun, boolean waitForLock, int chunkSize, Thresholds thresholds,
                       ChannelTrust trust) {
            this(batch, dryRun, waitForLock, chunkSize, thresholds, trust, Admission.NONE, 0);
        }

        /** A run under the policy's rules. */
        public static Options of(Long batch, boolean dryRun, boolean waitForLock, int chunkSize, Policy policy) {
            return new Options(batch, dryRun, waitForLock, chunkSize, policy.thresholds(), policy.trust(),
                    policy.admission(), policy.version());
        }
    }

    /**
     * What a run did: records examined, linked to an existing (or earlier) customer, given new codes; customers
     * merged; review items; linked records re-delivered with new values, whose customers were refreshed; and records
     * the admission rules refused (no code; see {@code cim codes pending}).
     */
    public record Result(long examined, long linked, long newCodes, long merged, long review, long refreshed,
                         long refused, double seconds, boolean dryRun) { }

    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;
    private final Supplier<KnownCustomers> knownCustomers;
    private final boolean keysInMemory;
    private long dryRunCodes;
    /**
     * The tables a run grows, and those it reads, with the columns their lookups use: their planner statistics are
     * kept current (PostgreSQL).
     */
    static final Map<String, List<String>> GROWING = Map.of(
            "source_record", List.of("id", "source_system", "source_key", "is_current", "version", "batch_id"),
            "customer", List.of("code", "merged_into"),
            "customer_link", List.of("customer_code", "source_system", "source_key", "valid_to", "record_id"),
            "match_key", List.of("match_key", "record_id"),
            "crowded_key", List.of("match_key"));

    public CodeAssigner(Database db, AuditTrail audit, FieldProtector protector) {
        this(db, audit, protector, KnownCustomers::forHeap, true);
    }

    /**
     * With the run's memory of customers as given, and whether it may hold the blocking keys in memory ({@link
     * RunKeys}): the tests compare runs with and without either.
     */
    CodeAssigner(Database db, AuditTrail audit, FieldProtector protector, Supplier<KnownCustomers> knownCustomers,
                 boolean keysInMemory) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
        this.knownCustomers = knownCustomers;
        this.keysInMemory = keysInMemory;
    }

    public Result assign(Options options, LongConsumer progress) {
        return assign(options, total -> { }, progress);
    }

    /**
     * Links every current source record without a code, and refreshes the customers of re-delivered ones.
     *
     * @param total told how many records will be examined, once that is known
     * @param progress told the running count examined
     */
    public Result assign(Options options, LongConsumer total, LongConsumer progress) {
        long started = System.nanoTime();
        if (!options.dryRun()) {
            Profiles.require(db.dsl(), "codes assign", Profiles.Profile.IMPORTER);
        }
        AtomicReference<Counts> totals = new AtomicReference<>(Counts.NONE);
        try (JobLock lock = JobLock.acquire(db, LOCK, "cim codes assign", HOLDERS, options.waitForLock())) {
            KeyIndex.ensure(db.dsl());
            Statistics.refresh(db.dsl(), GROWING);
            // only the records of batches no run has coded yet can lack a code; the batches read now are the ones
            // marked coded at the end (one that commits meanwhile is left to the next run, whatever its ids)
            List<Long> batches = uncodedBatches(options.batch());
            Condition inBatches = Batches.condition(batches);
            List<Long> fresh = batches.isEmpty() ? List.of() : db.dsl().select(SOURCE_RECORD.ID).from(SOURCE_RECORD)
                    .where(unlinkedCondition(options.batch()).and(inBatches))
                    .orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.ID);
            // records refused under another policy are examined again under this one
            List<Long> again = PendingRecords.refusedUnder(db.dsl(), options.policyVersion(),
                    unlinkedCondition(options.batch()));
            List<Long> ids = again.isEmpty() ? fresh
                    : java.util.stream.Stream.concat(fresh.stream(), again.stream()).distinct().sorted().toList();
            Set<String> pending = PendingRecords.keys(db.dsl());
            List<Long> changed = batches.isEmpty() ? List.of() : Redelivered.among(db.dsl(), inBatches);
            total.accept(ids.size());
            int size = options.chunkSize();
            KnownCustomers known = knownCustomers.get();
            Separations separations = Separations.forRun(db.dsl());
            if (options.dryRun()) {
                try {
                    db.dsl().transaction(tx -> {
                        for (int from = 0; from < ids.size(); from += size) {
                            List<Long> slice = ids.subList(from, Math.min(ids.size(), from + size));
                            // a dry run's stand-in codes cannot be held as numbers: it looks its keys up
                            Customers customers = customers(tx.dsl(), options);
                            OpenedChunk opened = open(tx.dsl(), slice, options);
                            ChunkMatch chunk = match(customers, opened, options,
                                    new RunMemory(known, null, separations), ChunkMatch.WriteUnderWay.NONE);
                            add(totals, write(customers, chunk, opened, pending, options), progress);
                        }
                        for (int from = 0; from < changed.size(); from += size) {
                            Redelivered.refresh(tx.dsl(), protector, audit,
                                    changed.subList(from, Math.min(changed.size(), from + size)), options, totals);
                        }
                        throw new DryRun();
                    });
                } catch (DryRun expected) {
                    // everything was rolled back
                }
            } else {
                RunKeys runKeys = keysInMemory
                        ? RunKeys.forRun(db.dsl(), ids.size(), Runtime.getRuntime().maxMemory() / 8) : null;
                RunMemory run = new RunMemory(known, runKeys, separations);
                if (runKeys == null) {
                    matchAll(ids, options, run, pending, totals, progress, lock);
                } else {
                    KeyIndex.without(db.dsl(), () -> matchAll(ids, options, run, pending, totals, progress, lock));
                }
                for (int from = 0; from < changed.size(); from += size) {
                    List<Long> slice = changed.subList(from, Math.min(changed.size(), from + size));
                    db.dsl().transaction(tx -> Redelivered.refresh(tx.dsl(), protector, audit, slice, options,
                            totals));
                }
                Batches.markCoded(db.dsl(), batches);
            }
        }
        Counts counts = totals.get();
        return new Result(counts.examined(), counts.linked(), counts.newCodes(), counts.merged(), counts.review(),
                counts.refreshed(), counts.refused(), (System.nanoTime() - started) / 1e9, options.dryRun());
    }

    /** Another engine that computes a full run's codes and stages them ({@link ScaleOutRun}, {@link MatchStaging}). */
    public interface Elsewhere {
        /**
         * Computes and stages the run's codes, never merging two customers a steward separated ({@code separated}:
         * pairs of codes as {@link #pair} writes them); what it stages is moved, or on a failure discarded, after
         * it. The merges of customers there were and the codes of the customers it changes, which are applied then.
         */
        ScaleOutRun.Outcome run(ScaleOutRun run, Set<String> separated, ScaleOutRun.Codes codes);
    }

    /**
     * {@code codes assign --engine spark}: the initial load, or with {@code rematch} the whole customer file
     * re-scored, on another engine, its staged results moved into the customer file in one transaction
     * ({@link ScaleOutAssign}); none when it would merge more than {@code maxMerges} customers there were (null: no
     * limit).
     */
    public Result assignElsewhere(Options options, Elsewhere engine, boolean rematch, Long maxMerges) {
        return new ScaleOutAssign(db, audit, protector, this).run(options, engine, rematch, maxMerges);
    }

    /**
     * The committed import batches no run has coded yet, in id order (with {@code --batch}, that one, or none when
     * it is coded). An import commits its batch whole, so a batch read here has all its records.
     */
    List<Long> uncodedBatches(Long batch) {
        if (batch != null && !db.dsl().fetchExists(IMPORT_BATCH, IMPORT_BATCH.ID.eq(batch)
                .and(IMPORT_BATCH.STATE.eq("committed")))) {
            throw new CimException(Failure.USAGE, "--batch " + batch + ": there is no committed "
                    + "import batch of that number", "the BATCH column of the import summary names it (also 'cim audit "
                    + "log --action import'); or leave --batch out to code every new record");
        }
        Condition which = IMPORT_BATCH.STATE.eq("committed").and(IMPORT_BATCH.CODED_AT.isNull());
        return db.dsl().select(IMPORT_BATCH.ID).from(IMPORT_BATCH)
                .where(batch == null ? which : which.and(IMPORT_BATCH.ID.eq(batch)))
                .orderBy(IMPORT_BATCH.ID).fetch(IMPORT_BATCH.ID);
    }

    private static final class DryRun extends RuntimeException {
        DryRun() {
            super(null, null, false, false);
        }
    }

    private static Condition unlinkedCondition(Long batch) {
        Condition condition = SOURCE_RECORD.IS_CURRENT.isTrue()
                .andNotExists(selectOne().from(CUSTOMER_LINK)
                        .where(Links.currentOfRecord()));
        return batch == null ? condition : condition.and(SOURCE_RECORD.BATCH_ID.eq(batch));
    }

    /**
     * Matches the records chunk by chunk, each chunk written in one transaction. Three threads overlap: the next
     * chunk's records are read and opened (decrypted, keys hashed) on one, the current chunk is matched on the
     * caller's, and the one before it is written on a third. A chunk's matching reads what the write before it
     * changes only once that write is done; a failed write stops the run before the next one starts.
     */
    private void matchAll(List<Long> ids, Options options, RunMemory run, Set<String> pending, AtomicReference<Counts> totals,
                          LongConsumer progress, JobLock lock) {
        int size = options.chunkSize();
        ExecutorService opener = Background.thread("cim-assign-opener");
        ExecutorService writer = Background.thread("cim-assign-writer");
        // the planner statistics are brought up to date beside the writing, not in its way (one analysis at a time)
        ExecutorService statistics = Background.thread("cim-assign-statistics");
        AtomicReference<Future<?>> analysing = new AtomicReference<>();
        try {
            Future<OpenedChunk> next = opener.submit(() -> open(db.dsl(), ids.subList(0, Math.min(ids.size(),
                    size)), options));
            Future<Counts> written = null;
            Set<String> writing = Set.of();
            for (int from = 0; from < ids.size(); from += size) {
                OpenedChunk current = Background.await(next);
                int after = from + size;
                if (after < ids.size()) {
                    next = opener.submit(() -> open(db.dsl(), ids.subList(after, Math.min(ids.size(), after + size)),
                            options));
                }
                Future<Counts> before = written;
                ChunkMatch chunk = match(customers(db.dsl(), options), current, options, run,
                        new ChunkMatch.WriteUnderWay(writing, () -> Background.await(before)));
                add(totals, Background.await(before), progress);
                writing = chunk == null ? Set.of() : chunk.touched();
                written = chunk == null && current.refused().isEmpty() ? null : writer.submit(() -> {
                    Counts counts = db.dsl().transactionResult(tx -> {
                        Counts c = write(customers(tx.dsl(), options), chunk, current, pending, options);
                        // before it commits: a run whose lock went away must not write beside the one that took it
                        lock.verify(tx.dsl(), "cim codes assign");
                        return c;
                    });
                    Future<?> last = analysing.get();
                    if (last == null || last.isDone()) {
                        Background.await(last);
                        analysing.set(statistics.submit(() -> Statistics.refresh(db.dsl(), GROWING)));
                    }
                    return counts;
                });
            }
            add(totals, Background.await(written), progress);
            Background.await(analysing.get());
        } finally {
            opener.shutdownNow();
            // a write under way ends (committed or rolled back) before the run lets go of its lock
            Background.finish(writer);
            Background.finish(statistics);
        }
    }

    /**
     * The records of {@code ids} that are still current, opened. They had no code when the run began, and none can
     * have got one since (only the run and steward actions link records, and those wait for its lock); a newer
     * version imported meanwhile replaces a record, and is for the next run.
     */
    private OpenedChunk open(DSLContext dsl, List<Long> ids, Options options) {
        long first = ids.get(0);
        long last = ids.get(ids.size() - 1);
        List<SourceRecordRecord> rows;
        if (last - first < 2L * ids.size()) {
            // the ids are sorted and mostly adjacent: a range is cheaper to read than a long IN list
            Set<Long> wanted = new HashSet<>(ids);
            rows = dsl.select(MATCHED_COLUMNS).from(SOURCE_RECORD).where(SOURCE_RECORD.ID.between(first, last)
                    .and(SOURCE_RECORD.IS_CURRENT.isTrue())).orderBy(SOURCE_RECORD.ID).fetchInto(SOURCE_RECORD);
            rows.removeIf(row -> !wanted.contains(row.getId()));
        } else {
            rows = dsl.select(MATCHED_COLUMNS).from(SOURCE_RECORD).where(SOURCE_RECORD.ID.in(ids)
                    .and(SOURCE_RECORD.IS_CURRENT.isTrue())).orderBy(SOURCE_RECORD.ID).fetchInto(SOURCE_RECORD);
        }
        List<PendingRecords.Refusal> refused = new ArrayList<>();
        List<SourceRecordRecord> admitted = PendingRecords.admit(rows, options.admission(), refused);
        return OpenedChunk.of(admitted, refused, protector);
    }

    /**
     * Writes a chunk (none when the rules refused all its records) and its refusals through {@code writer}'s
     * transaction; the counts, refused records last (they count as examined).
     */
    private Counts write(Customers writer, ChunkMatch chunk, OpenedChunk opened, Set<String> pending,
                         Options options) {
        Counts counts = chunk == null ? Counts.NONE : chunk.write(writer);
        List<PendingRecords.Refusal> refused = opened.refused();
        if (!options.dryRun()) {
            PendingRecords.write(writer.tx(), audit, refused, opened.rows(), pending, options.policyVersion());
            Relations.replace(writer.tx(), opened.rows(), protector);
        }
        return counts.plus(Counts.refused(refused.size()));
    }

    private Customers customers(DSLContext dsl, Options options) {
        return new Customers(dsl, protector, options.trust(), audit.context().actor());
    }

    /**
     * One chunk of the records that had no code when the run began, opened ahead: matched, its new customers
     * given codes, and remembered for the chunks after it, ready to be written; null when it has no records.
     */
    private ChunkMatch match(Customers reader, OpenedChunk records, Options options, RunMemory run,
                             ChunkMatch.WriteUnderWay writing) {
        if (records.records().isEmpty()) {
            return null;
        }
        ChunkMatch chunk = new ChunkMatch(reader, new ChunkMatch.Context(options, audit, () -> ++dryRunCodes, run),
                writing);
        chunk.run(records);
        chunk.settle();
        chunk.remember();
        return chunk;
    }

    /** A written chunk's counts (none for no chunk) added to the run's. */
    private static void add(AtomicReference<Counts> totals, Counts counts, LongConsumer progress) {
        if (counts == null) {
            return;
        }
        progress.accept(totals.accumulateAndGet(counts, Counts::plus).examined());
    }

    static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
