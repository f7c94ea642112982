package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.ScaleOutEngine;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.codes.CodeAssigner.Elsewhere;
import cim.core.codes.CodeAssigner.Options;
import cim.core.codes.CodeAssigner.Result;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.db.Profiles;
import cim.core.db.Statistics;
import cim.core.json.Json;
import cim.core.protect.FieldProtector;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** A {@code codes assign} whose codes another engine computes and stages ({@code --engine spark}). */
final class ScaleOutAssign {
    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;
    private final CodeAssigner assigner;

    ScaleOutAssign(Database db, AuditTrail audit, FieldProtector protector, CodeAssigner assigner) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
        this.assigner = assigner;
    }

    /**
     * {@code codes assign --engine spark}: codes every new record on another engine, which stages its results; they
     * are then moved into the customer file in one transaction, with the run's audit events, so that a run failing
     * anywhere leaves the file as it was. A file that has customers is re-matched whole only when asked
     * ({@code rematch}: after a change of policy or comparators): the customers there were are re-scored with the new
     * records; they keep their codes, two of them that now link merge into the older code unless a steward separated
     * them or their records conflict, and nothing a steward merged is split; a run that would merge more than
     * {@code maxMerges} of them (null: no limit) moves nothing (exit 1). The same rules as {@link
     * CodeAssigner#assign}, under the same lock.
     */
    Result run(Options options, Elsewhere engine, boolean rematch, Long maxMerges) {
        long started = System.nanoTime();
        if (options.dryRun()) {
            throw new CimException(Failure.USAGE, "--dry-run: the Spark engine has no dry run",
                    "leave --engine spark out to try thresholds in a dry run on one machine");
        }
        ScaleOutEngine.requireCentral(db);
        Profiles.require(db.dsl(), "codes assign", Profiles.Profile.IMPORTER);
        try (JobLock lock = JobLock.acquire(db, CodeAssigner.LOCK, "cim codes assign", CodeAssigner.HOLDERS,
                options.waitForLock())) {
            int customers = db.dsl().fetchCount(CUSTOMER, CUSTOMER.MERGED_INTO.isNull());
            if (customers > 0 && !rematch) {
                throw new CimException(Failure.USAGE, "--engine spark re-matches a customer file that has customers "
                        + "(this one has " + customers + ") only when asked, with --rematch: it re-scores every "
                        + "record, and may merge customers", "add --rematch (after a change of policy or "
                        + "comparators), or leave --engine spark out: 'cim codes assign' links new records to the "
                        + "customers there are, incrementally");
            }
            if (rematch && options.batch() != null) {
                throw new CimException(Failure.USAGE, "--batch with --rematch: a re-match reads the whole file",
                        "leave --batch out");
            }
            KeyIndex.ensure(db.dsl());
            // a run that died (its driver killed) may have left staged rows: no run stages while this one holds the
            // lock, so whatever is there is theirs
            MatchStaging.discardAll(db.dsl());
            List<Long> batches = assigner.uncodedBatches(options.batch());
            var range = db.dsl().select(DSL.min(SOURCE_RECORD.ID), DSL.max(SOURCE_RECORD.ID)).from(SOURCE_RECORD)
                    .fetchOne();
            long job = MatchStaging.newJob();
            ScaleOutRun run = new ScaleOutRun(job, batches, range.value1() == null ? 0 : range.value1(),
                    range.value2() == null ? -1 : range.value2(), options.thresholds(), options.trust(),
                    options.admission(), options.policyVersion(), audit.context().actor(), customers > 0);
            if (customers == 0 && run.count(db.dsl()) == 0) {
                return new Result(0, 0, 0, 0, 0, 0, 0, (System.nanoTime() - started) / 1e9, false);
            }
            List<Long> redelivered = Redelivered.among(db.dsl(), Batches.condition(batches));
            long[] reserved = new long[1];
            Counts counts;
            try {
                ScaleOutRun.Outcome outcome = engine.run(run, Separations.all(db.dsl()), (organisation, count) -> {
                    long first = reserve(organisation, count);
                    reserved[0] += count;
                    return first;
                });
                if (maxMerges != null && outcome.merges().size() > maxMerges) {
                    throw new CimException(Failure.CHECK_FAILED, "--max-merges " + maxMerges + ": the re-match "
                            + "would merge " + outcome.merges().size() + " customers into others; nothing was moved",
                            "see what changed in the policy ('cim policy history'); if the merges are meant, run it "
                            + "again with a higher --max-merges");
                }
                counts = db.dsl().transactionResult(tx -> {
                    long linked = MatchStaging.count(tx.dsl(), job, MatchStaging.Kind.LINKS);
                    long made = MatchStaging.count(tx.dsl(), job, MatchStaging.Kind.CUSTOMERS);
                    long review = MatchStaging.count(tx.dsl(), job, MatchStaging.Kind.REVIEWS);
                    long refused = MatchStaging.count(tx.dsl(), job, MatchStaging.Kind.PENDING);
                    // what the engine staged adds up, or nothing is moved: each record linked once or queued, a
                    // customer per code reserved, a review item per record at most (a task staged twice, or rows
                    // lost, fail the run here)
                    long toCode = run.count(tx.dsl());
                    long repeated = MatchStaging.repeatedReviews(tx.dsl(), job);
                    if (linked + refused != toCode || made != reserved[0] || repeated != 0) {
                        throw new CimException(Failure.INTERNAL, "the Spark run's staged rows do not add up ("
                                + toCode + " records to code, " + linked + " linked and " + refused + " queued; "
                                + reserved[0] + " codes reserved, " + made + " customers; " + repeated
                                + " review items repeated); nothing was moved", "run it again; if it fails the same "
                                + "way, report it with the Spark driver's log");
                    }
                    long admitted = MatchStaging.moveAll(tx.dsl(), job);
                    AtomicReference<Counts> refreshed = new AtomicReference<>(Counts.NONE);
                    for (int from = 0; from < redelivered.size(); from += options.chunkSize()) {
                        Redelivered.refresh(tx.dsl(), protector, audit, redelivered.subList(from,
                                Math.min(redelivered.size(), from + options.chunkSize())), options, refreshed);
                    }
                    applyMerges(tx.dsl(), options, outcome);
                    Counts c = new Counts(linked + refused, linked - made, made, outcome.merges().size(), review,
                            refreshed.get().refreshed(), refused);
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("engine", "spark");
                    detail.put("rematch", rematch);
                    detail.put("linked", c.linked());
                    detail.put("new_codes", c.newCodes());
                    detail.put("merged", c.merged());
                    detail.put("review", c.review());
                    detail.put("first_record", run.firstId());
                    detail.put("last_record", run.lastId());
                    detail.put("policy_version", options.policyVersion());
                    audit.append(tx.dsl(), AuditEntry.of("codes.assign").rows(c.examined()).detail(detail));
                    if (refused > 0 || admitted > 0) {
                        audit.append(tx.dsl(), AuditEntry.of("codes.refuse").rows(refused).detail(
                                Map.of("policy_version", options.policyVersion(), "refused", refused,
                                        "admitted_from_queue", admitted)));
                    }
                    Batches.markCoded(tx.dsl(), batches);
                    // before it commits: a run whose lock went away must not write beside the one that took it
                    lock.verify(tx.dsl(), "cim codes assign");
                    return c;
                });
            } catch (RuntimeException | Error failed) {
                // everything the failed run staged (a move deletes what it moved)
                try {
                    MatchStaging.discard(db.dsl(), job);
                } catch (RuntimeException notCleaned) {
                    // the next run, or the next Spark run, deletes it
                    failed.addSuppressed(notCleaned);
                }
                throw failed;
            }
            Statistics.refresh(db.dsl(), CodeAssigner.GROWING);
            return new Result(counts.examined(), counts.linked(), counts.newCodes(), counts.merged(),
                    counts.review(), counts.refreshed(), counts.refused(), (System.nanoTime() - started) / 1e9,
                    false);
        }
    }

    /**
     * In the move's transaction, once the staged links are in: the merges of customers there were, in the order the
     * engine made them (each as {@code codes assign} merges: the absorbed code redirects, its records' links are kept
     * as history, its keys and corrections follow, both histories and the audit trail say so), then the golden
     * record of every customer the run changed, rebuilt from the records linked to it now.
     */
    private void applyMerges(DSLContext tx, Options options, ScaleOutRun.Outcome outcome) {
        Customers customers = new Customers(tx, protector, options.trust(), audit.context().actor());
        for (ScaleOut.Merge merge : outcome.merges()) {
            List<MatchRecord> records = customers.linkedRecords(List.of(merge.absorbed()))
                    .getOrDefault(merge.absorbed(), List.of());
            Map<String, Object> why = merge.why() == null ? Map.of() : Json.readMap(merge.why());
            customers.absorb(merge.survivor(), merge.absorbed(), records, "merge",
                    "matcher, re-match: the two link (" + merge.rule() + ")", why);
            audit.append(tx, AuditEntry.of("codes.merge").object("customer", merge.survivor())
                    .subjects(List.of(merge.survivor(), merge.absorbed())).reason("automatic: " + merge.rule())
                    .detail(Map.of("absorbed", merge.absorbed(), "survivor", merge.survivor(), "engine", "spark")));
        }
        List<String> changed = outcome.changed().stream().sorted().toList();
        for (int from = 0; from < changed.size(); from += Customers.SLICE) {
            List<Object[]> rows = new ArrayList<>();
            customers.linkedRecords(changed.subList(from, Math.min(changed.size(), from + Customers.SLICE)))
                    .forEach((code, records) -> rows.add(customers.rebuilt(code, records)));
            customers.updateCustomers(rows);
        }
    }

    /**
     * Reserves {@code count} consecutive codes of a type for a run on another engine: its first sequence number.
     * Under the run's lock no one else takes codes, so the numbers are consecutive; if they are not, the run stops.
     */
    private long reserve(boolean organisation, long count) {
        if (count == 0) {
            return 0;
        }
        String sequence = organisation ? "org_code_seq" : "person_code_seq";
        var taken = db.dsl().fetchOne("SELECT min(v), max(v) FROM (SELECT nextval('" + sequence + "') AS v "
                + "FROM generate_series(1, ?) AS s) AS t", count);
        long first = taken.get(0, Long.class);
        long last = taken.get(1, Long.class);
        if (last - first + 1 != count) {
            throw new CimException(Failure.LOCKED, "the sequence of customer codes was used by "
                    + "another process during the run", "run it again; nothing was written");
        }
        return first;
    }
}
