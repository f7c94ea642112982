package cim.core.codes;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.BulkInsert;
import cim.core.db.JobLock;
import cim.core.db.Statistics;
import cim.core.db.schema.tables.records.CustomerLinkRecord;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.db.schema.tables.records.MatchKeyRecord;
import cim.core.db.schema.tables.records.ReviewItemRecord;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.jooq.impl.DSL.selectOne;
import org.jooq.impl.DSL;

/**
 * {@code cim codes assign}: links every current source record without a code to a customer, incrementally. Records
 * are taken in chunks (each chunk one transaction, with its audit event); each record is looked up by its blocking
 * keys among the customers that share one (never all pairs), compared with their records, and then linked
 * (deterministic rule, or score at or above the link threshold), given a new code and put in the review queue
 * (score between the thresholds), or given a new code. A record that ties two customers together merges them
 * into the older one, unless their records conflict or a steward separated them. One run at a time
 * ({@link JobLock}).
 */
public final class CodeAssigner {
    public static final int DEFAULT_CHUNK = 5_000;
    public static final String LOCK = "codes.assign";

    /** The score at or above which a record links by itself, and the one from which it goes to review. */
    public record Thresholds(double link, double review) {
        public static final Thresholds DEFAULT = new Thresholds(7.5, 4.5);
    }

    public record Options(Long batch, boolean dryRun, boolean waitForLock, int chunkSize, Thresholds thresholds,
                          ChannelTrust trust) { }

    /**
     * What a run did: records examined, linked to an existing (or earlier) customer, given new codes; customers
     * merged; review items; and linked records re-delivered with new values, whose customers were refreshed.
     */
    public record Result(long examined, long linked, long newCodes, long merged, long review, long refreshed,
                         double seconds, boolean dryRun) { }

    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;
    private long dryRunCodes;
    /** The tables a run grows, and those it reads: their planner statistics are kept current (PostgreSQL). */
    private static final List<String> GROWING = List.of("source_record", "customer", "customer_link", "match_key");

    public CodeAssigner(Database db, AuditTrail audit, FieldProtector protector) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
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
        long[] totals = new long[6];
        try (JobLock lock = JobLock.acquire(db, LOCK, "cim codes assign", options.waitForLock())) {
            Statistics.refresh(db.dsl(), GROWING);
            List<Long> ids = db.dsl().select(SOURCE_RECORD.ID).from(SOURCE_RECORD)
                    .where(unlinkedCondition(options.batch())).orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.ID);
            List<Long> changed = db.dsl().select(SOURCE_RECORD.ID).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                    .on(CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                            .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY))
                            .and(CUSTOMER_LINK.VALID_TO.isNull()))
                    // a re-delivered record is a version after the first, so the first versions need not be joined
                    .where(SOURCE_RECORD.IS_CURRENT.isTrue().and(SOURCE_RECORD.VERSION.gt(1))
                            .and(CUSTOMER_LINK.RECORD_ID.ne(SOURCE_RECORD.ID))
                            .and(options.batch() == null ? DSL.trueCondition()
                                    : SOURCE_RECORD.BATCH_ID.eq(options.batch())))
                    .orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.ID);
            total.accept(ids.size());
            int size = options.chunkSize();
            if (options.dryRun()) {
                try {
                    db.dsl().transaction(tx -> {
                        for (int from = 0; from < ids.size(); from += size) {
                            chunk(tx.dsl(), ids.subList(from, Math.min(ids.size(), from + size)), options, totals,
                                    progress);
                        }
                        for (int from = 0; from < changed.size(); from += size) {
                            refresh(tx.dsl(), changed.subList(from, Math.min(changed.size(), from + size)), options,
                                    totals);
                        }
                        throw new DryRun();
                    });
                } catch (DryRun expected) {
                    // everything was rolled back
                }
            } else {
                for (int from = 0; from < ids.size(); from += size) {
                    List<Long> slice = ids.subList(from, Math.min(ids.size(), from + size));
                    db.dsl().transaction(tx -> chunk(tx.dsl(), slice, options, totals, progress));
                    Statistics.refresh(db.dsl(), GROWING);
                }
                for (int from = 0; from < changed.size(); from += size) {
                    List<Long> slice = changed.subList(from, Math.min(changed.size(), from + size));
                    db.dsl().transaction(tx -> refresh(tx.dsl(), slice, options, totals));
                }
            }
        }
        return new Result(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5],
                (System.nanoTime() - started) / 1e9, options.dryRun());
    }

    private static final class DryRun extends RuntimeException {
        DryRun() {
            super(null, null, false, false);
        }
    }

    private static Condition unlinkedCondition(Long batch) {
        Condition condition = SOURCE_RECORD.IS_CURRENT.isTrue()
                .andNotExists(selectOne().from(CUSTOMER_LINK)
                        .where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                                .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY))
                                .and(CUSTOMER_LINK.VALID_TO.isNull())));
        return batch == null ? condition : condition.and(SOURCE_RECORD.BATCH_ID.eq(batch));
    }

    /**
     * One chunk of the records that had no code when the run began; one still without one now (another process
     * may have linked it meanwhile: a steward's unmerge) is matched, the others are left alone.
     */
    private void chunk(DSLContext tx, List<Long> ids, Options options, long[] totals, LongConsumer progress) {
        List<SourceRecordRecord> rows = tx.selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.ID.in(ids)
                .and(unlinkedCondition(null))).orderBy(SOURCE_RECORD.ID).fetch();
        if (rows.isEmpty()) {
            return;
        }
        Customers customers = new Customers(tx, protector, options.trust(), audit.context().actor());
        Chunk chunk = new Chunk(customers, options);
        chunk.run(rows);
        long[] counts = chunk.write();
        for (int i = 0; i < counts.length; i++) {
            totals[i] += counts[i];
        }
        progress.accept(totals[0]);
    }

    /**
     * Linked records re-delivered with new values (a new version): each keeps its code (codes never change);
     * its blocking keys are replaced by the new version's, its link notes the version, and its customer's golden
     * record is rebuilt.
     */
    private void refresh(DSLContext tx, List<Long> ids, Options options, long[] totals) {
        Customers customers = new Customers(tx, protector, options.trust(), audit.context().actor());
        Set<String> codes = new LinkedHashSet<>();
        List<Object[]> keys = new ArrayList<>();
        long refreshed = 0;
        for (var row : tx.select(SOURCE_RECORD.fields()).select(CUSTOMER_LINK.ID, CUSTOMER_LINK.CUSTOMER_CODE,
                        CUSTOMER_LINK.RECORD_ID).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                        .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY))
                        .and(CUSTOMER_LINK.VALID_TO.isNull()))
                .where(SOURCE_RECORD.ID.in(ids).and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetch()) {
            MatchRecord record = MatchRecord.of(row.into(SOURCE_RECORD), protector);
            refreshed++;
            String code = row.get(CUSTOMER_LINK.CUSTOMER_CODE);
            tx.deleteFrom(MATCH_KEY).where(MATCH_KEY.RECORD_ID.eq(row.get(CUSTOMER_LINK.RECORD_ID))).execute();
            for (MatchKeys.Key key : MatchKeys.of(record, protector)) {
                keys.add(new Object[] {key.hash(), code, record.id()});
            }
            tx.update(CUSTOMER_LINK).set(CUSTOMER_LINK.RECORD_ID, record.id())
                    .where(CUSTOMER_LINK.ID.eq(row.get(CUSTOMER_LINK.ID))).execute();
            codes.add(code);
        }
        customers.insertKeys(keys);
        codes.forEach(customers::rebuild);
        totals[5] += refreshed;
        if (!options.dryRun()) {
            audit.append(tx, AuditEntry.of("codes.refresh").rows(refreshed).subjects(List.copyOf(codes).subList(0,
                    Math.min(codes.size(), 100))).detail(Map.of("customers", codes.size())));
        }
    }

    /** A customer as the chunk knows it: existing (with its code) or new in this chunk, and what changed. */
    private static final class Cluster {
        final boolean organisation;
        final int order;
        String code;
        final boolean existing;
        final List<MatchRecord> records = new ArrayList<>();
        final List<Absorbed> absorbed = new ArrayList<>();
        Cluster absorbedBy;
        boolean changed;

        Cluster(boolean organisation, String code, int order) {
            this.organisation = organisation;
            this.order = order;
            this.code = code;
            this.existing = code != null;
        }

        Cluster root() {
            Cluster c = this;
            while (c.absorbedBy != null) {
                c = c.absorbedBy;
            }
            return c;
        }
    }

    /** An existing customer merged into another in this chunk, its records, and the verdict that tied them. */
    private record Absorbed(String code, List<MatchRecord> records, Comparison.Verdict why) { }

    /** A decision about a new record: the cluster it joined, and how. */
    private record Decision(MatchRecord record, Cluster cluster, String rule, Double score, Map<String, Object> why,
                            List<MatchKeys.Key> keys) { }

    /** A record for review: its own new cluster and the customer it may belong to. */
    private record Review(MatchRecord record, Cluster own, Cluster candidate, Comparison.Verdict verdict) { }

    private final class Chunk {
        private final Customers customers;
        private final Options options;
        private final Map<String, List<Cluster>> index = new HashMap<>();
        private final Map<String, Cluster> byCode = new HashMap<>();
        private final Set<String> separated = new HashSet<>();
        private final List<Decision> decisions = new ArrayList<>();
        private final List<Review> reviews = new ArrayList<>();
        private final List<Cluster> fresh = new ArrayList<>();
        private final Map<Long, String> loadedCode = new HashMap<>();
        private final Set<String> crowded = new HashSet<>();
        private long merges;

        Chunk(Customers customers, Options options) {
            this.customers = customers;
            this.options = options;
        }

        void run(List<SourceRecordRecord> rows) {
            List<MatchRecord> records = new ArrayList<>(rows.size());
            List<List<MatchKeys.Key>> keys = new ArrayList<>(rows.size());
            Map<String, Integer> hashes = new LinkedHashMap<>();
            for (SourceRecordRecord row : rows) {
                MatchRecord record = MatchRecord.of(row, protector);
                List<MatchKeys.Key> recordKeys = MatchKeys.of(record, protector);
                records.add(record);
                keys.add(recordKeys);
                recordKeys.forEach(k -> hashes.merge(k.hash(), k.limit(), Math::max));
            }
            loadCandidates(hashes);
            for (int i = 0; i < records.size(); i++) {
                decide(records.get(i), keys.get(i));
            }
        }

        /**
         * The customers that share a key with the chunk's records, with their records and separations; a weak key
         * shared by too many customers is marked crowded and not followed.
         */
        private void loadCandidates(Map<String, Integer> hashes) {
            Map<String, Set<String>> codesByKey = new HashMap<>();
            List<String> all = new ArrayList<>(hashes.keySet());
            for (int from = 0; from < all.size(); from += Customers.SLICE) {
                for (Record2<String, String> row : customers.tx().select(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE)
                        .from(MATCH_KEY).where(MATCH_KEY.MATCH_KEY_.in(all.subList(from,
                                Math.min(all.size(), from + Customers.SLICE)))).fetch()) {
                    codesByKey.computeIfAbsent(row.value1(), k -> new LinkedHashSet<>()).add(row.value2());
                }
            }
            codesByKey.entrySet().removeIf(e -> {
                boolean crowded = e.getValue().size() > hashes.get(e.getKey());
                if (crowded) {
                    this.crowded.add(e.getKey());
                }
                return crowded;
            });
            Set<String> codes = new LinkedHashSet<>();
            codesByKey.values().forEach(codes::addAll);
            customers.linkedRecords(codes).forEach((code, linked) -> {
                Cluster cluster = new Cluster(linked.get(0).organisation(), code, byCode.size());
                cluster.records.addAll(linked);
                linked.forEach(r -> loadedCode.put(r.id(), code));
                byCode.put(code, cluster);
            });
            codesByKey.forEach((key, keyCodes) -> {
                List<Cluster> clusters = new ArrayList<>(keyCodes.size());
                keyCodes.stream().map(byCode::get).filter(java.util.Objects::nonNull).forEach(clusters::add);
                index.put(key, clusters);
            });
            List<String> codeList = new ArrayList<>(byCode.keySet());
            for (int from = 0; from < codeList.size(); from += Customers.SLICE) {
                List<String> slice = codeList.subList(from, Math.min(codeList.size(), from + Customers.SLICE));
                customers.tx().select(CODE_SEPARATION.CODE_A, CODE_SEPARATION.CODE_B).from(CODE_SEPARATION)
                        .where(CODE_SEPARATION.CODE_A.in(slice).or(CODE_SEPARATION.CODE_B.in(slice)))
                        .forEach(r -> separated.add(pair(r.value1(), r.value2())));
            }
        }

        private void decide(MatchRecord record, List<MatchKeys.Key> keys) {
            Set<Cluster> candidates = new LinkedHashSet<>();
            for (MatchKeys.Key key : keys) {
                List<Cluster> sharing = index.get(key.hash());
                if (sharing == null || sharing.size() > key.limit() || crowded.contains(key.hash())) {
                    continue;
                }
                sharing.forEach(c -> candidates.add(c.root()));
            }
            List<Cluster> linkable = new ArrayList<>();
            Map<Cluster, Comparison.Verdict> verdicts = new HashMap<>();
            Cluster bestReview = null;
            for (Cluster candidate : candidates) {
                Comparison.Verdict verdict = best(record, candidate);
                if (verdict == null) {
                    continue;
                }
                verdicts.put(candidate, verdict);
                if (verdict.deterministic() || verdict.score() >= options.thresholds().link()) {
                    linkable.add(candidate);
                } else if (verdict.score() >= options.thresholds().review()
                        && (bestReview == null || verdict.score() > verdicts.get(bestReview).score())) {
                    bestReview = candidate;
                }
            }
            Cluster target;
            if (linkable.isEmpty()) {
                target = new Cluster(record.organisation(), null, fresh.size());
                fresh.add(target);
                decisions.add(new Decision(record, target, "new", null, null, keys));
                if (bestReview != null) {
                    reviews.add(new Review(record, target, bestReview, verdicts.get(bestReview)));
                }
            } else {
                linkable.sort((a, b) -> linkOrder(a, b, verdicts));
                Cluster chosen = linkable.get(0);
                Comparison.Verdict verdict = verdicts.get(chosen);
                decisions.add(new Decision(record, chosen, verdict.rule(), verdict.score(), verdict.explanation(),
                        keys));
                for (Cluster other : linkable.subList(1, linkable.size())) {
                    Cluster root = chosen.root();
                    if (other.root() != root && mergeable(root, other)) {
                        merge(root, other, verdicts.get(other));
                    }
                }
                target = chosen.root();
            }
            target.records.add(record);
            target.changed = true;
            for (MatchKeys.Key key : keys) {
                List<Cluster> sharing = index.computeIfAbsent(key.hash(), k -> new ArrayList<>(2));
                if (!sharing.contains(target)) {
                    sharing.add(target);
                }
            }
        }

        /** The best verdict of the record against any of a customer's records; null if any conflicts. */
        private Comparison.Verdict best(MatchRecord record, Cluster candidate) {
            Comparison.Verdict best = null;
            for (MatchRecord other : candidate.records) {
                Comparison.Verdict verdict = Comparison.compare(record, other);
                if (verdict.conflict()) {
                    return null;
                }
                if (best == null || verdict.score() > best.score()) {
                    best = verdict;
                }
            }
            return best;
        }

        /** The customer a record links to: by a deterministic rule first, then the higher score, then the older. */
        private int linkOrder(Cluster a, Cluster b, Map<Cluster, Comparison.Verdict> verdicts) {
            int byRule = Boolean.compare(verdicts.get(b).deterministic(), verdicts.get(a).deterministic());
            if (byRule != 0) {
                return byRule;
            }
            int byScore = Double.compare(verdicts.get(b).score(), verdicts.get(a).score());
            return byScore != 0 ? byScore : age(a, b);
        }

        /** Existing customers before new ones, the oldest code first: the survivor of a merge comes first. */
        private static int age(Cluster a, Cluster b) {
            if (a.existing != b.existing) {
                return a.existing ? -1 : 1;
            }
            return a.existing ? a.code.compareTo(b.code) : Integer.compare(a.order, b.order);
        }

        private boolean mergeable(Cluster target, Cluster other) {
            if (target.organisation != other.organisation) {
                return false;
            }
            if (target.existing && other.existing && separated.contains(pair(target.code, other.code))) {
                return false;
            }
            for (MatchRecord a : target.records) {
                for (MatchRecord b : other.records) {
                    if (Comparison.compare(a, b).conflict()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Merges two customers the record ties together: the older survives (an existing customer always survives a
         * new one, so no code given out is ever dropped).
         */
        private void merge(Cluster one, Cluster two, Comparison.Verdict why) {
            Cluster target = age(one, two) <= 0 ? one : two;
            Cluster other = target == one ? two : one;
            if (other.existing) {
                // its records linked before this chunk; those linked in it get their link to the survivor anyway
                List<MatchRecord> linked = other.records.stream()
                        .filter(r -> other.code.equals(loadedCode.get(r.id()))).toList();
                target.absorbed.add(new Absorbed(other.code, linked, why));
                merges++;
            }
            target.absorbed.addAll(other.absorbed);
            other.absorbed.clear();
            target.records.addAll(other.records);
            other.absorbedBy = target;
            target.changed = true;
        }

        /** Writes the chunk: codes, customers, links, merges, keys, review items, audit. */
        long[] write() {
            DSLContext tx = customers.tx();
            List<Cluster> newRoots = fresh.stream().filter(c -> c.absorbedBy == null).toList();
            for (boolean organisation : new boolean[] {false, true}) {
                List<Cluster> ofType = newRoots.stream().filter(c -> c.organisation == organisation).toList();
                List<String> codes = options.dryRun() ? dryRunCodes(organisation, ofType.size())
                        : customers.allocate(organisation, ofType.size());
                for (int i = 0; i < ofType.size(); i++) {
                    ofType.get(i).code = codes.get(i);
                }
            }
            List<Object[]> inserts = new ArrayList<>();
            for (Cluster cluster : newRoots) {
                inserts.add(customers.newCustomer(cluster.code, cluster.records));
            }
            customers.insertCustomers(inserts);

            List<Object[]> links = new ArrayList<>(decisions.size());
            List<Object[]> keys = new ArrayList<>(decisions.size() * 5);
            for (Decision d : decisions) {
                String code = d.cluster().root().code;
                links.add(customers.link(d.record(), code, d.rule(), d.score(), d.why(), false));
                for (MatchKeys.Key key : d.keys()) {
                    keys.add(new Object[] {key.hash(), code, d.record().id()});
                }
            }
            customers.insertLinks(links);

            List<Cluster> changedExisting = byCode.values().stream().filter(c -> c.absorbedBy == null && c.changed)
                    .toList();
            for (Cluster cluster : changedExisting) {
                for (Absorbed absorbed : cluster.absorbed) {
                    customers.absorb(cluster.code, absorbed.code(), absorbed.records(), "merge",
                            "matcher: a record ties the two (" + absorbed.why().rule() + ")",
                            absorbed.why().explanation());
                    audit.append(tx, AuditEntry.of("codes.merge").object("customer", cluster.code)
                            .subjects(List.of(cluster.code, absorbed.code())).reason("automatic: "
                                    + absorbed.why().rule()).detail(Map.of("absorbed", absorbed.code(),
                                    "survivor", cluster.code)));
                }
            }
            // the matcher loaded the compared columns only; the golden records need every column, read now that
            // the chunk's links and merges are in place
            List<Object[]> updates = new ArrayList<>();
            customers.linkedRecordsInFull(changedExisting.stream().map(c -> c.code).toList())
                    .forEach((code, records) -> updates.add(customers.rebuilt(code, records)));
            customers.updateCustomers(updates);
            customers.insertKeys(keys);

            List<Object[]> items = new ArrayList<>();
            for (Review review : reviews) {
                Cluster own = review.own().root();
                Cluster candidate = review.candidate().root();
                if (own == candidate || candidate.code == null) {
                    continue;
                }
                items.add(new Object[] {review.record().stored().getSourceSystem(),
                    review.record().stored().getSourceKey(), own.code, candidate.code,
                    BigDecimal.valueOf(review.verdict().score()), Json.write(review.verdict().explanation()),
                    java.time.OffsetDateTime.now()});
            }
            customers.insertReviewItems(items);

            long examined = decisions.size();
            long newCodes = newRoots.size();
            long[] counts = {examined, examined - newCodes, newCodes, merges, items.size()};
            if (!options.dryRun()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("linked", counts[1]);
                detail.put("new_codes", counts[2]);
                detail.put("merged", counts[3]);
                detail.put("review", counts[4]);
                detail.put("first_record", decisions.get(0).record().id());
                detail.put("last_record", decisions.get(decisions.size() - 1).record().id());
                audit.append(tx, AuditEntry.of("codes.assign").rows(examined).detail(detail));
            }
            return counts;
        }

        /** Stand-ins for codes in a dry run, which must not use up the sequences (they are not rolled back). */
        private List<String> dryRunCodes(boolean organisation, int count) {
            List<String> codes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                codes.add((organisation ? "G-DRY-" : "P-DRY-") + (++dryRunCodes));
            }
            return codes;
        }
    }

    static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
