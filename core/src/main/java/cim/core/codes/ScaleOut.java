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

    /** A record opened for matching, with its blocking keys (hashes and how many customers may share each). */
    public static final class Opened implements Serializable {
        private static final long serialVersionUID = 1L;
        final MatchRecord record;
        private final long[] keys;
        private final int[] limits;

        Opened(MatchRecord record, long[] keys, int[] limits) {
            this.record = record;
            this.keys = keys;
            this.limits = limits;
        }

        public long id() {
            return record.id();
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
            return new Opened(record, k, l);
        }
    }

    /**
     * What a slice of source records yields: the records the admission rules admit, opened; the queue's rows of
     * those they refuse; and the relations the records state (rows of record_relation).
     */
    public record Slice(List<Opened> admitted, List<Object[]> pending, List<Object[]> relations)
            implements Serializable { }

    /** Opens a slice of current source records under the policy's admission rules (version {@code policyVersion}). */
    public static Slice open(List<SourceRecordRecord> rows, Admission admission, int policyVersion,
                             FieldProtector protector) {
        List<PendingRecords.Refusal> refused = new ArrayList<>();
        List<SourceRecordRecord> admitted = PendingRecords.admit(rows, admission, refused);
        List<Opened> opened = new ArrayList<>(admitted.size());
        List<Object[]> relations = new ArrayList<>();
        for (SourceRecordRecord row : admitted) {
            MatchRecord record = MatchRecord.of(row, protector);
            List<MatchKeys.Key> keys = MatchKeys.of(record, protector);
            long[] hashes = new long[keys.size()];
            int[] limits = new int[keys.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = keys.get(i).hash();
                limits[i] = keys.get(i).limit();
            }
            opened.add(new Opened(record, hashes, limits));
            relations.addAll(Relations.rows(row, protector));
        }
        return new Slice(opened, PendingRecords.rows(refused, policyVersion), relations);
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
     * How a record was coded: the customer it is in (named by that customer's first record, until codes are given
     * out), and the rule, score and explanation of its link ("new" for the record a customer began with).
     */
    public record Decision(long record, boolean organisation, long customer, String rule, Double score, String why)
            implements Serializable {
        /** Whether the record began its customer (which is named after it). */
        public boolean began() {
            return customer == record;
        }

        /** Whether the record got a customer of its own when it came (its link's rule is "new"). */
        public boolean alone() {
            return "new".equals(rule);
        }
    }

    /**
     * Resolves records that scoring ties together into customers, in record order, as {@link ChunkMatch} decides
     * each record: its candidates are the customers sharing a followed key with it; it joins the one its best
     * verdict links it to (a deterministic rule first, then the higher score, then the older customer) and merges
     * the others it links to unless their records conflict; a record conflicting with any of a customer's records
     * never joins it. One decision per record.
     */
    public static List<Decision> resolve(List<Opened> group, CodeAssigner.Thresholds thresholds) {
        List<Opened> records = new ArrayList<>(group);
        records.sort(Comparator.comparingLong(Opened::id));
        Map<Long, List<Cluster>> index = new HashMap<>();
        List<Cluster> made = new ArrayList<>();
        Map<Long, Cluster> joined = new HashMap<>();
        List<Decision> decisions = new ArrayList<>(records.size());
        for (Opened opened : records) {
            Set<Cluster> candidates = new LinkedHashSet<>();
            for (int k = 0; k < opened.keys.length; k++) {
                List<Cluster> sharing = index.get(opened.keys[k]);
                if (sharing != null && sharing.size() <= opened.limits[k]) {
                    sharing.forEach(c -> candidates.add(c.root()));
                }
            }
            MatchRecord record = opened.record;
            List<Cluster> linkable = new ArrayList<>();
            Map<Cluster, Comparison.Verdict> verdicts = new HashMap<>();
            for (Cluster candidate : candidates) {
                Comparison.Verdict verdict = candidate.best(record);
                if (verdict != null && (verdict.deterministic() || verdict.score() >= thresholds.link())) {
                    verdicts.put(candidate, verdict);
                    linkable.add(candidate);
                }
            }
            Cluster target;
            if (linkable.isEmpty()) {
                target = new Cluster(record.organisation(), null, made.size());
                made.add(target);
                decisions.add(new Decision(record.id(), record.organisation(), 0, "new", null, null));
            } else {
                linkable.sort((a, b) -> {
                    int byRule = Boolean.compare(verdicts.get(b).deterministic(), verdicts.get(a).deterministic());
                    if (byRule != 0) {
                        return byRule;
                    }
                    int byScore = Double.compare(verdicts.get(b).score(), verdicts.get(a).score());
                    return byScore != 0 ? byScore : Integer.compare(a.order, b.order);
                });
                Cluster chosen = linkable.get(0);
                Comparison.Verdict verdict = verdicts.get(chosen);
                decisions.add(new Decision(record.id(), record.organisation(), 0, verdict.rule(), verdict.score(),
                        Json.write(verdict.explanation())));
                for (Cluster other : linkable.subList(1, linkable.size())) {
                    Cluster root = chosen.root();
                    Cluster second = other.root();
                    if (second != root && root.compatible(second)) {
                        // the older survives
                        Cluster survivor = root.order <= second.order ? root : second;
                        Cluster absorbed = survivor == root ? second : root;
                        survivor.records.addAll(absorbed.records);
                        absorbed.absorbedBy = survivor;
                    }
                }
                target = chosen.root();
            }
            target.records.add(record);
            joined.put(record.id(), target);
            for (long key : opened.keys) {
                List<Cluster> sharing = index.computeIfAbsent(key, k -> new ArrayList<>(2));
                if (!sharing.contains(target)) {
                    sharing.add(target);
                }
            }
        }
        List<Decision> resolved = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            Cluster root = joined.get(d.record()).root();
            long first = root.records.stream().mapToLong(MatchRecord::id).min().orElseThrow();
            resolved.add(new Decision(d.record(), d.organisation(), first, d.rule(), d.score(), d.why()));
        }
        return resolved;
    }

    /**
     * Whether a record that got a customer of its own goes to review with the customer {@code earlier} (the records
     * it had before this one): the best verdict against them, when none conflicts and it is between the thresholds;
     * null otherwise. As the single-machine matcher decides it when the record comes.
     */
    public static Scored review(Opened record, List<Opened> customer, CodeAssigner.Thresholds thresholds) {
        Cluster before = new Cluster(record.organisation(), null, 0);
        customer.stream().filter(o -> o.id() < record.id()).sorted(Comparator.comparingLong(Opened::id))
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
