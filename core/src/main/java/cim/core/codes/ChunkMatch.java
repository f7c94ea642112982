package cim.core.codes;

import cim.core.audit.AuditTrail;
import cim.core.json.Json;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One chunk of {@code codes assign}: the chunk's records matched in memory against the customers that share a
 * blocking key with them (loaded once for the chunk) and against each other; new customers given their codes;
 * then everything to write built ({@link ChunkRows}) and written in the chunk's transaction. Matching reads
 * through one connection and writing is given another, so a chunk can be matched while the one before it is
 * written: whatever the matching reads that the writing before it changes is read only after that write is done.
 */
final class ChunkMatch {
    /** A decision about a new record: the cluster it joined, and how. */
    private record Decision(MatchRecord record, Cluster cluster, String rule, Double score, Map<String, Object> why,
                            List<MatchKeys.Key> keys) { }

    /** A record for review: its own new cluster and the customer it may belong to. */
    private record Review(MatchRecord record, Cluster own, Cluster candidate, Comparison.Verdict verdict) { }

    /**
     * What every chunk of a run shares: its options, its trail, the stand-in codes of a dry run, and what the run
     * holds in memory.
     */
    record Context(CodeAssigner.Options options, AuditTrail audit, LongSupplier dryRunCode, RunMemory memory) { }

    /**
     * The write of the chunk before, under way while this one is matched: the customer codes it touches, and how to
     * wait for it. {@link #NONE} when there is none.
     */
    record WriteUnderWay(Set<String> touched, Runnable await) {
        static final WriteUnderWay NONE = new WriteUnderWay(Set.of(), () -> { });
    }

    private final Customers reader;
    private final CodeAssigner.Options options;
    private final Context context;
    private final RunKeys runKeys;
    private final Map<Long, List<Cluster>> index = new HashMap<>();
    private final Map<String, Cluster> byCode = new HashMap<>();
    private Separations separations;
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Review> reviews = new ArrayList<>();
    private final List<Cluster> fresh = new ArrayList<>();
    private final Map<Long, String> loadedCode = new HashMap<>();
    private final Set<Long> crowded = new HashSet<>();
    private final WriteUnderWay writing;
    private List<Cluster> newRoots;
    private long merges;
    private final ChunkRows rows = new ChunkRows();

    /** A customer the write under way touches is read from the database only once it is done. */
    ChunkMatch(Customers reader, Context context, WriteUnderWay writing) {
        this.reader = reader;
        this.context = context;
        this.options = context.options();
        this.runKeys = context.memory().keys();
        this.writing = writing;
    }

    void run(OpenedChunk chunk) {
        Map<Long, Integer> hashes = new LinkedHashMap<>();
        chunk.keys().forEach(recordKeys -> recordKeys.forEach(k -> hashes.merge(k.hash(), k.limit(), Math::max)));
        loadCandidates(hashes);
        for (int i = 0; i < chunk.records().size(); i++) {
            decide(chunk.records().get(i), chunk.keys().get(i));
        }
    }

    /**
     * The customers that share a key with the chunk's records, with their records and separations; a weak key
     * shared by too many customers is marked crowded (in crowded_key, for good) and not followed.
     */
    private void loadCandidates(Map<Long, Integer> hashes) {
        List<Long> all = new ArrayList<>(hashes.keySet());
        Map<Long, Set<String>> codesByKey;
        if (runKeys != null) {
            all.stream().filter(runKeys::crowded).forEach(crowded::add);
            codesByKey = runKeys.codes(all);
        } else {
            writing.await().run();
            codesByKey = reader.sharing(all, crowded);
        }
        codesByKey.entrySet().removeIf(e -> {
            boolean crowded = e.getValue().size() > hashes.get(e.getKey());
            if (crowded) {
                this.crowded.add(e.getKey());
                rows.crowded.add(new Object[] {e.getKey()});
                if (runKeys != null) {
                    runKeys.crowd(e.getKey());
                }
            }
            return crowded;
        });
        Set<String> codes = new LinkedHashSet<>();
        codesByKey.values().forEach(codes::addAll);
        Map<String, List<MatchRecord>> candidates = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String code : codes) {
            List<MatchRecord> held = context.memory().customers().get(code);
            if (held != null) {
                candidates.put(code, held);
            } else {
                unknown.add(code);
            }
        }
        if (!unknown.isEmpty()) {
            // those the write under way leaves alone were written before it, and are read without waiting
            if (unknown.stream().anyMatch(writing.touched()::contains)) {
                writing.await().run();
            }
            candidates.putAll(reader.linkedRecords(unknown));
        }
        candidates.forEach((code, linked) -> {
            if (linked.isEmpty()) {
                return;
            }
            Cluster cluster = new Cluster(linked.get(0).organisation(), code, byCode.size());
            cluster.records.addAll(linked);
            linked.forEach(r -> loadedCode.put(r.id(), code));
            byCode.put(code, cluster);
        });
        codesByKey.forEach((key, keyCodes) -> {
            List<Cluster> clusters = new ArrayList<>(keyCodes.size());
            keyCodes.stream().map(byCode::get).filter(Objects::nonNull).forEach(clusters::add);
            index.put(key, clusters);
        });
        separations = context.memory().separations().among(reader.tx(), byCode.keySet());
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
            Comparison.Verdict verdict = candidate.best(record);
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

    /** The customer a record links to: by a deterministic rule first, then the higher score, then the older. */
    private int linkOrder(Cluster a, Cluster b, Map<Cluster, Comparison.Verdict> verdicts) {
        int byRule = Boolean.compare(verdicts.get(b).deterministic(), verdicts.get(a).deterministic());
        if (byRule != 0) {
            return byRule;
        }
        int byScore = Double.compare(verdicts.get(b).score(), verdicts.get(a).score());
        return byScore != 0 ? byScore : Cluster.age(a, b);
    }

    private boolean mergeable(Cluster target, Cluster other) {
        return target.compatible(other) && !target.separatedFrom(other, separations::separated);
    }

    /**
     * Merges two customers the record ties together: the older survives (an existing customer always survives a
     * new one, so no code given out is ever dropped).
     */
    private void merge(Cluster one, Cluster two, Comparison.Verdict why) {
        Cluster target = Cluster.age(one, two) <= 0 ? one : two;
        Cluster other = target == one ? two : one;
        if (other.existing) {
            // its records linked before this chunk; those linked in it get their link to the survivor anyway
            List<MatchRecord> linked = other.records.stream()
                    .filter(r -> other.code.equals(loadedCode.get(r.id()))).toList();
            target.absorbed.add(new Cluster.Absorbed(other.code, linked, why));
            merges++;
        }
        target.absorbed.addAll(other.absorbed);
        other.absorbed.clear();
        target.absorb(other);
        target.changed = true;
    }

    /**
     * Settles the chunk: the new customers get their codes from the sequences (a chunk whose writing fails leaves
     * a gap, as a rollback would), and every row to write is built, so that writing only sends them.
     */
    void settle() {
        allocateCodes();
        for (Cluster cluster : newRoots) {
            rows.customers.add(reader.newCustomer(cluster.code, cluster.records));
        }
        for (Decision d : decisions) {
            String code = d.cluster().root().code;
            rows.links.add(reader.link(d.record(), code, d.rule(), d.score(), d.why(), false));
            for (MatchKeys.Key key : d.keys()) {
                // a crowded key is never followed again: a row for it would only be written
                if (!crowded.contains(key.hash())) {
                    rows.keys.add(new Object[] {key.hash(), code, d.record().id()});
                }
            }
        }
        List<Cluster> changedExisting = byCode.values().stream().filter(c -> c.absorbedBy == null && c.changed)
                .toList();
        // their golden records take the steward's corrections, which the write before may be moving (a merge carries
        // the absorbed customer's): read once that write is done. None at all (a run never adds the first): no wait
        if (!changedExisting.isEmpty() && reader.corrections().any() && changedExisting.stream().anyMatch(c ->
                writing.touched().contains(c.code)
                        || c.absorbed.stream().anyMatch(a -> writing.touched().contains(a.code())))) {
            writing.await().run();
        }
        // a customer's records as the chunk holds them are those now linked to it (each loaded whole)
        for (Cluster cluster : changedExisting) {
            cluster.absorbed.forEach(absorbed -> rows.merges.add(new ChunkRows.Merge(cluster.code, absorbed)));
            rows.updates.add(reader.rebuilt(cluster.code, cluster.records,
                    cluster.absorbed.stream().map(Cluster.Absorbed::code).toList()));
        }
        for (Review review : reviews) {
            Cluster own = review.own().root();
            Cluster candidate = review.candidate().root();
            if (own != candidate && candidate.code != null) {
                rows.reviews.add(new Object[] {review.record().stored().sourceSystem(),
                    review.record().stored().sourceKey(), own.code, candidate.code,
                    BigDecimal.valueOf(review.verdict().score()), Json.write(review.verdict().explanation()),
                    OffsetDateTime.now()});
            }
        }
        rows.counted(new ChunkRows.Tally(decisions.size(), newRoots.size(), merges,
                decisions.get(0).record().id(), decisions.get(decisions.size() - 1).record().id()));
    }

    private void allocateCodes() {
        newRoots = fresh.stream().filter(c -> c.absorbedBy == null).toList();
        for (boolean organisation : new boolean[] {false, true}) {
            List<Cluster> ofType = newRoots.stream().filter(c -> c.organisation == organisation).toList();
            List<String> codes = options.dryRun() ? dryRunCodes(organisation, ofType.size())
                    : reader.allocate(organisation, ofType.size());
            for (int i = 0; i < ofType.size(); i++) {
                ofType.get(i).code = codes.get(i);
            }
        }
    }

    /** Writes the chunk through {@code writer} (its transaction); its counts. */
    Counts write(Customers writer) {
        return rows.write(writer, context.audit(), options.dryRun(), options.policyVersion());
    }

    /**
     * After the chunk is written: the customers it touched as they now are, and those merged away dropped; the
     * keys it wrote, and the merges, in the run's keys when it holds them, and in its separations.
     */
    void remember() {
        // a customer that took in one of two separated customers is separated from the other in the chunks after
        byCode.values().stream().filter(c -> c.absorbedBy == null)
                .forEach(c -> c.absorbed.forEach(a -> context.memory().separations().merged(a.code(), c.code)));
        if (runKeys != null) {
            for (Decision d : decisions) {
                String code = d.cluster().root().code;
                d.keys().forEach(key -> runKeys.add(key.hash(), code));
            }
            byCode.values().stream().filter(c -> c.absorbedBy == null)
                    .forEach(c -> c.absorbed.forEach(a -> runKeys.merged(a.code(), c.code)));
        }
        List<Cluster> touched = new ArrayList<>(byCode.values());
        touched.addAll(fresh);
        for (Cluster cluster : touched) {
            if (cluster.code == null) {
                continue;
            }
            if (cluster.absorbedBy != null) {
                context.memory().customers().remove(cluster.code);
            } else {
                context.memory().customers().put(cluster.code, cluster.records);
            }
        }
    }

    /** The codes of the customers the chunk's write changes: those it made, linked to, merged and absorbed. */
    Set<String> touched() {
        Set<String> codes = new HashSet<>(byCode.keySet());
        fresh.stream().map(c -> c.code).filter(Objects::nonNull).forEach(codes::add);
        return codes;
    }

    /** Stand-ins for codes in a dry run, which must not use up the sequences (they are not rolled back). */
    private List<String> dryRunCodes(boolean organisation, int count) {
        List<String> codes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            codes.add((organisation ? "G-DRY-" : "P-DRY-") + context.dryRunCode().getAsLong());
        }
        return codes;
    }
}
