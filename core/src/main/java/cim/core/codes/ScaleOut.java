package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.policy.Admission;
import cim.core.protect.FieldProtector;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The matcher's steps as another engine runs them, record by record and pair by pair on many machines (the Spark
 * engine of {@code codes assign --engine spark}): open a slice of source records (admission, tier-1 values opened in
 * memory, blocking keys), score a pair that shares a key, resolve a group of records that scoring ties together into
 * customers with the same rules as {@link ChunkMatch} (in record order: the deterministic rule first, then the higher
 * score, then the older customer; a record conflicting with any of a customer's records never joins it; a record
 * tying two customers merges them unless their records conflict), and build the rows to write. Everything here is
 * plain values: it holds no connection.
 */
public final class ScaleOut {
    private ScaleOut() {
    }

    /**
     * A record opened for matching, with its blocking keys (hashes and how many customers may share each), and the
     * code it is linked to when it has one (a re-match re-scores the customers there are with the new records).
     */
    public static final class Opened implements Serializable {
        private static final long serialVersionUID = 2L;
        final MatchRecord record;
        private final long[] keys;
        private final int[] limits;
        private final String code;

        Opened(MatchRecord record, long[] keys, int[] limits, String code) {
            this.record = record;
            this.keys = keys;
            this.limits = limits;
            this.code = code;
        }

        public long id() {
            return record.id();
        }

        /** The code the record is linked to before the run; null for a record the run codes. */
        public String code() {
            return code;
        }

        public boolean organisation() {
            return record.organisation();
        }

        /** The blocking keys' hashes. */
        public long[] keys() {
            return keys.clone();
        }

        /** How many customers may share each key before it is no longer followed (identifier keys: no limit). */
        public int[] limits() {
            return limits.clone();
        }

        /** The record with only the keys that {@code followed} accepts. */
        public Opened following(java.util.function.LongPredicate followed) {
            int n = 0;
            for (long key : keys) {
                n += followed.test(key) ? 1 : 0;
            }
            if (n == keys.length) {
                return this;
            }
            long[] k = new long[n];
            int[] l = new int[n];
            for (int i = 0, j = 0; i < keys.length; i++) {
                if (followed.test(keys[i])) {
                    k[j] = keys[i];
                    l[j++] = limits[i];
                }
            }
            return new Opened(record, k, l, code);
        }
    }

    /**
     * What a slice of source records yields: the records the admission rules admit, opened; the queue's rows of
     * those they refuse; and the relations the records state (rows of record_relation).
     */
    public record Slice(List<Opened> admitted, List<Object[]> pending, List<Object[]> relations)
            implements Serializable { }

    /**
     * Opens a slice of current source records: those to code ({@code codes} names none) under the policy's admission
     * rules (version {@code policyVersion}), with the relations they state; those already linked (to the code
     * {@code codes} names) as they are: codes never move by themselves, whatever the rules say now.
     */
    public static Slice open(List<SourceRecordRecord> rows, Map<Long, String> codes, Admission admission,
                             int policyVersion, FieldProtector protector) {
        List<SourceRecordRecord> toCode = new ArrayList<>(rows.size());
        List<Opened> opened = new ArrayList<>(rows.size());
        for (SourceRecordRecord row : rows) {
            String code = codes.get(row.getId());
            if (code == null) {
                toCode.add(row);
            } else {
                opened.add(opened(row, code, protector));
            }
        }
        List<PendingRecords.Refusal> refused = new ArrayList<>();
        List<Object[]> relations = new ArrayList<>();
        for (SourceRecordRecord row : PendingRecords.admit(toCode, admission, refused)) {
            opened.add(opened(row, null, protector));
            relations.addAll(Relations.rows(row, protector));
        }
        opened.sort(Comparator.comparingLong(Opened::id));
        return new Slice(opened, PendingRecords.rows(refused, policyVersion), relations);
    }

    private static Opened opened(SourceRecordRecord row, String code, FieldProtector protector) {
        MatchRecord record = MatchRecord.of(row, protector);
        List<MatchKeys.Key> keys = MatchKeys.of(record, protector);
        long[] hashes = new long[keys.size()];
        int[] limits = new int[keys.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = keys.get(i).hash();
            limits[i] = keys.get(i).limit();
        }
        return new Opened(record, hashes, limits, code);
    }

    /** What scoring a pair says: it links, it is one for a steward to review, or neither. */
    public enum Bond { LINK, REVIEW, NONE }

    /** A scored pair: its bond, score and explanation (JSON; names fields, never values). */
    public record Scored(Bond bond, double score, String why) implements Serializable { }

    /** Scores a pair that shares a key, as the matcher would. */
    public static Scored score(Opened a, Opened b, CodeAssigner.Thresholds thresholds) {
        Comparison.Verdict verdict = Comparison.compare(a.record, b.record);
        Bond bond = verdict.conflict() ? Bond.NONE
                : verdict.deterministic() || verdict.score() >= thresholds.link() ? Bond.LINK
                : verdict.score() >= thresholds.review() ? Bond.REVIEW : Bond.NONE;
        return new Scored(bond, verdict.score(), bond == Bond.REVIEW ? Json.write(verdict.explanation()) : null);
    }

    /**
     * How a record was coded: the customer it is in (named by that customer's first record until new customers are
     * given codes; {@code code} when that is a customer there was before the run, its surviving code), the code it had
     * before the run ({@code was}; null for a record the run codes), and the rule, score and explanation of its link
     * ("new" for the record a new customer began with, "kept" for a record that had its code).
     */
    public record Decision(long record, boolean organisation, long customer, String code, String was, String rule,
                           Double score, String why) implements Serializable {
        /** Whether the record began a new customer (which is named after it until it has its code). */
        public boolean began() {
            return customer == record && code == null;
        }

        /** Whether the record got a customer of its own when it came (its link's rule is "new"). */
        public boolean alone() {
            return "new".equals(rule);
        }

        /** Whether the record had a code before the run. */
        public boolean coded() {
            return was != null;
        }

        /** Whether the run changes what the customer of this record holds: a record joined it, or a merge. */
        public boolean changes() {
            return code != null && !code.equals(was);
        }
    }

    /** A merge of two customers there were before the run: the older survives; why, as the link rule and JSON. */
    public record Merge(String survivor, String absorbed, String rule, String why) implements Serializable { }

    /** A group resolved: a decision per record, and the merges of customers there were, in the order made. */
    public record Resolved(List<Decision> decisions, List<Merge> merges) implements Serializable { }

    /**
     * Resolves records that scoring ties together into customers, as {@link ChunkMatch} decides each record. The
     * customers there were (the records' codes) come first, each whole: codes never move by themselves. Re-scored
     * against each other (a new policy, a new comparator), two of them that now link are merged into the older code,
     * unless their records conflict or a steward separated them ({@code separated}: pairs of codes, as {@link
     * CodeAssigner#pair} writes them). Then the records to code, in record order: the candidates of one are the
     * customers sharing a followed key with it; it joins the one its best verdict links it to (a deterministic rule
     * first, then the higher score, then the older customer: one there was before any new one) and merges the others
     * it links to unless their records conflict or a steward separated them; a record conflicting with any of a
     * customer's records never joins it. One decision per record.
     */
    public static Resolved resolve(List<Opened> group, CodeAssigner.Thresholds thresholds, Set<String> separated) {
        List<Opened> records = new ArrayList<>(group);
        records.sort(Comparator.comparingLong(Opened::id));
        Map<Long, List<Cluster>> index = new HashMap<>();
        Map<Long, Cluster> joined = new HashMap<>();
        Map<Long, Decision> decided = new HashMap<>();
        List<Merge> merges = new ArrayList<>();
        Map<String, Cluster> existing = new java.util.TreeMap<>();
        for (Opened opened : records) {
            if (opened.code != null) {
                Cluster customer = existing.computeIfAbsent(opened.code,
                        c -> new Cluster(opened.organisation(), c, 0));
                customer.records.add(opened.record);
                joined.put(opened.id(), customer);
                indexed(index, opened, customer);
            }
        }
        for (Opened opened : records) {
            if (opened.code == null) {
                continue;
            }
            for (Cluster candidate : candidates(index, opened)) {
                Cluster own = joined.get(opened.id()).root();
                if (candidate == own) {
                    continue;
                }
                Comparison.Verdict verdict = candidate.best(opened.record);
                if (links(verdict, thresholds) && mergeable(own, candidate, separated)) {
                    merge(own, candidate, verdict, merges);
                }
            }
        }
        List<Cluster> made = new ArrayList<>();
        for (Opened opened : records) {
            if (opened.code != null) {
                continue;
            }
            MatchRecord record = opened.record;
            List<Cluster> linkable = new ArrayList<>();
            Map<Cluster, Comparison.Verdict> verdicts = new HashMap<>();
            for (Cluster candidate : candidates(index, opened)) {
                Comparison.Verdict verdict = candidate.best(record);
                if (links(verdict, thresholds)) {
                    verdicts.put(candidate, verdict);
                    linkable.add(candidate);
                }
            }
            Cluster target;
            if (linkable.isEmpty()) {
                target = new Cluster(record.organisation(), null, made.size());
                made.add(target);
                decided.put(record.id(), new Decision(record.id(), record.organisation(), 0, null, null, "new", null,
                        null));
            } else {
                linkable.sort((a, b) -> {
                    int byRule = Boolean.compare(verdicts.get(b).deterministic(), verdicts.get(a).deterministic());
                    if (byRule != 0) {
                        return byRule;
                    }
                    int byScore = Double.compare(verdicts.get(b).score(), verdicts.get(a).score());
                    return byScore != 0 ? byScore : Cluster.age(a, b);
                });
                Cluster chosen = linkable.get(0);
                Comparison.Verdict verdict = verdicts.get(chosen);
                decided.put(record.id(), new Decision(record.id(), record.organisation(), 0, null, null,
                        verdict.rule(), verdict.score(), Json.write(verdict.explanation())));
                for (Cluster other : linkable.subList(1, linkable.size())) {
                    Cluster root = chosen.root();
                    Cluster second = other.root();
                    if (second != root && mergeable(root, second, separated)) {
                        merge(root, second, verdicts.get(other), merges);
                    }
                }
                target = chosen.root();
            }
            target.records.add(record);
            joined.put(record.id(), target);
            indexed(index, opened, target);
        }
        List<Decision> resolved = new ArrayList<>(records.size());
        Map<Cluster, Long> firsts = new HashMap<>();
        for (Opened opened : records) {
            Cluster root = joined.get(opened.id()).root();
            long first = firsts.computeIfAbsent(root,
                    r -> r.records.stream().mapToLong(MatchRecord::id).min().orElseThrow());
            Decision d = decided.get(opened.id());
            resolved.add(d == null
                    ? new Decision(opened.id(), opened.organisation(), first, root.code, opened.code, "kept", null, null)
                    : new Decision(d.record(), d.organisation(), first, root.code, null, d.rule(), d.score(), d.why()));
        }
        return new Resolved(resolved, merges);
    }

    /** The customers sharing a followed key with a record: those of a key shared by more than its limit are not. */
    private static Set<Cluster> candidates(Map<Long, List<Cluster>> index, Opened opened) {
        Set<Cluster> candidates = new LinkedHashSet<>();
        for (int k = 0; k < opened.keys.length; k++) {
            List<Cluster> sharing = index.get(opened.keys[k]);
            if (sharing != null && sharing.size() <= opened.limits[k]) {
                sharing.forEach(c -> candidates.add(c.root()));
            }
        }
        return candidates;
    }

    private static void indexed(Map<Long, List<Cluster>> index, Opened opened, Cluster customer) {
        for (long key : opened.keys) {
            List<Cluster> sharing = index.computeIfAbsent(key, k -> new ArrayList<>(2));
            if (!sharing.contains(customer)) {
                sharing.add(customer);
            }
        }
    }

    private static boolean links(Comparison.Verdict verdict, CodeAssigner.Thresholds thresholds) {
        return verdict != null && (verdict.deterministic() || verdict.score() >= thresholds.link());
    }

    /**
     * As {@link ChunkMatch}: customers of one type whose records do not conflict, none of the codes they hold
     * separated by a steward from one the other holds.
     */
    private static boolean mergeable(Cluster one, Cluster two, Set<String> separated) {
        return one.compatible(two)
                && !one.separatedFrom(two, (a, b) -> separated.contains(CodeAssigner.pair(a, b)));
    }

    /** Merges two customers into the older (one there was before the run survives any new one). */
    private static void merge(Cluster one, Cluster two, Comparison.Verdict why, List<Merge> merges) {
        Cluster survivor = Cluster.age(one, two) <= 0 ? one : two;
        Cluster absorbed = survivor == one ? two : one;
        if (absorbed.existing) {
            merges.add(new Merge(survivor.code, absorbed.code, why.rule(), Json.write(why.explanation())));
        }
        survivor.absorb(absorbed);
    }

    /**
     * Whether a record that got a customer of its own goes to review with the customer {@code earlier} (the records
     * it had before this one: those linked before the run, and those before it in record order): the best verdict against them, when none conflicts and it is between the thresholds;
     * null otherwise. As the single-machine matcher decides it when the record comes.
     */
    public static Scored review(Opened record, List<Opened> customer, CodeAssigner.Thresholds thresholds) {
        Cluster before = new Cluster(record.organisation(), null, 0);
        customer.stream().filter(o -> o.code != null || o.id() < record.id())
                .sorted(Comparator.comparingLong(Opened::id))
                .forEach(o -> before.records.add(o.record));
        if (before.records.isEmpty()) {
            return null;
        }
        Comparison.Verdict verdict = before.best(record.record);
        if (verdict == null || verdict.deterministic() || verdict.score() >= thresholds.link()
                || verdict.score() < thresholds.review()) {
            return null;
        }
        return new Scored(Bond.REVIEW, verdict.score(), Json.write(verdict.explanation()));
    }

    /** The row of a new customer with this code and these records ({@link Customers#CUSTOMER_INSERT} order). */
    public static Object[] customerRow(String code, List<Opened> records, ChannelTrust trust,
                                       FieldProtector protector) {
        List<StoredRecord> stored = records.stream().sorted(Comparator.comparingLong(Opened::id))
                .map(o -> o.record.stored()).toList();
        Object[] row = GoldenRecord.build(stored, trust, 2, new GoldenLists(protector, code), Map.of());
        row[row.length - 2] = code;
        row[row.length - 1] = row[row.length - 3];
        return row;
    }

    /** The link of a record to its code ({@link Customers#LINK_INSERT} order), as {@code actor} made it. */
    public static Object[] linkRow(Opened record, String code, Decision decision, String actor) {
        return Customers.link(record.record, code, decision.rule(), decision.score(), decision.why(), false, actor);
    }

    /** The match_key rows of a coded record: one per followed key (hash, code, record id). */
    public static List<Object[]> keyRows(Opened record, String code) {
        List<Object[]> rows = new ArrayList<>(record.keys.length);
        for (long key : record.keys) {
            rows.add(new Object[] {key, code, record.id()});
        }
        return rows;
    }

    /** The channel and key of a record: what a review item names it by. */
    public static String[] channelKey(Opened record) {
        return new String[] {record.record.stored().sourceSystem(), record.record.stored().sourceKey()};
    }
}
