package cim.spark;

import cim.core.codes.CodeAssigner;
import cim.core.codes.MatchStaging;
import cim.core.codes.ScaleOut;
import cim.core.codes.ScaleOutRun;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The full match of {@code codes assign --engine spark}, as Spark jobs over the records to code and, in a re-match,
 * the records of the customers there are:
 * <ol>
 *   <li>the records are read in id ranges, one per partition, opened on the executors (admission of those to code,
 *       tier-1 values opened in memory only, blocking keys);</li>
 *   <li>each blocking key's records are gathered; a key shared by more records than its kind allows is crowded (not
 *       followed) for a first clustering, the others give candidate pairs;</li>
 *   <li>each pair is scored with the comparator catalogue: a pair that links, one for review, or neither;</li>
 *   <li>records tied by pairs that link, or by a customer they were linked to, are gathered in groups (connected
 *       components, by rounds of label propagation), and each group is resolved into customers by the
 *       single-machine matcher's own rules ({@link ScaleOut#resolve}: the customers there were first, whole, and
 *       merged into the older code where they now link unless a steward separated them; then the records to code in
 *       record order, with the same guards, the same choice of customer, the same merges);</li>
 *   <li>as the single machine crowds a key when more customers than its limit share it, the crowded keys are
 *       counted again by the customers of the first clustering; if some are not crowded after all, the clustering is
 *       made again with them followed;</li>
 *   <li>new customers get consecutive codes (reserved at once), numbered in the order of their first records; every
 *       row is staged, one transaction per partition; the command then moves them into the customer file in one
 *       transaction, and applies there the merges of customers there were, which the driver collects with the codes
 *       of the customers the run changed.</li>
 * </ol>
 * A record that got a customer of its own goes to review with the best customer it shares a key with, judged on that
 * customer's records before it, as the single-machine matcher judges it when the record comes.
 */
final class SparkMatch implements CodeAssigner.Elsewhere, Serializable {
    private static final long serialVersionUID = 1L;
    /** Records per partition when the engine decides (~ what one task opens in a few seconds). */
    private static final long RECORDS_PER_PARTITION = 50_000;

    private final transient JavaSparkContext spark;
    private final Workers.Connect connect;
    private final int partitions;

    SparkMatch(JavaSparkContext spark, Workers.Connect connect, int partitions) {
        this.spark = spark;
        this.connect = connect;
        this.partitions = partitions;
    }

    @Override
    public ScaleOutRun.Outcome run(ScaleOutRun run, Set<String> separated, ScaleOutRun.Codes codes) {
        if (run.lastId() < run.firstId()) {
            return ScaleOutRun.Outcome.NONE;
        }
        Workers.Connect connect = this.connect;
        CodeAssigner.Thresholds thresholds = run.thresholds();
        Broadcast<Set<String>> separations = spark.broadcast(new HashSet<>(separated));

        // 1. read and open, in id ranges
        JavaRDD<ScaleOut.Slice> slices = spark.parallelize(ranges(run), ranges(run).size())
                .map(range -> {
                    Workers.Resources w = Workers.of(connect);
                    return run.open(run.read(w.db().dsl(), range[0], range[1]), w.protector());
                })
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Long, ScaleOut.Opened> records = slices.flatMap(s -> s.admitted().iterator())
                .mapToPair(o -> new Tuple2<>(o.id(), o))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());

        // 2. the records of each key: those over their limit are crowded for a first clustering
        JavaPairRDD<Long, KeyGroup> groups = records.values()
                .flatMapToPair(o -> {
                    long[] keys = o.keys();
                    int[] limits = o.limits();
                    List<Tuple2<Long, KeyGroup>> out = new ArrayList<>(keys.length);
                    for (int i = 0; i < keys.length; i++) {
                        out.add(new Tuple2<>(keys[i], KeyGroup.of(limits[i], o.id())));
                    }
                    return out.iterator();
                })
                .reduceByKey(KeyGroup::plus)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        long[] over = sorted(groups.filter(g -> g._2().over()).keys().collect());
        Clustering clustering = cluster(spark, run, records, groups, over, separations);

        // 3. the single machine crowds a key when more customers than its limit hold it, not records: a key over
        //    its limit whose records fall in few enough customers is followed after all, and the clustering made
        //    again with it
        long[] relieved = over.length == 0 ? new long[0] : sorted(groups
                .filter(g -> g._2().over() && !g._2().full())
                .flatMapToPair(g -> g._2().members(g._1()).iterator())
                .join(clustering.decisions().mapToPair(d -> new Tuple2<>(d.record(), d.customer())))
                .mapToPair(m -> new Tuple2<>(m._2()._1(), m._2()._2()))
                .distinct()
                .mapToPair(m -> new Tuple2<>(m._1(), 1))
                .reduceByKey(Integer::sum)
                .filter(k -> k._2() <= k._1().limit())
                .map(k -> k._1().key())
                .collect());
        if (relieved.length > 0) {
            clustering.unpersist();
            clustering = cluster(spark, run, records, groups, without(over, relieved), separations);
        }
        long[] crowded = clustering.crowded().value();
        Broadcast<long[]> crowdedKeys = clustering.crowded();
        JavaPairRDD<Long, Long> pairs = clustering.pairs();
        JavaRDD<ScaleOut.Decision> decisions = clustering.decisions();

        // 4. codes, numbered in the order of the new customers' first records; the customers there were keep theirs
        Map<Boolean, Long> made = decisions.filter(ScaleOut.Decision::began)
                .map(ScaleOut.Decision::organisation).countByValue();
        JavaPairRDD<Long, String> codeOf = run.rematch() ? decisions.filter(d -> d.code() != null)
                .mapToPair(d -> new Tuple2<>(d.customer(), d.code())).distinct() : null;
        for (boolean organisation : new boolean[] {false, true}) {
            long count = made.getOrDefault(organisation, 0L);
            if (count == 0) {
                continue;
            }
            long first = codes.reserve(organisation, count);
            JavaPairRDD<Long, String> ofType = decisions
                    .filter(d -> d.began() && d.organisation() == organisation)
                    .map(ScaleOut.Decision::customer)
                    .sortBy(c -> c, true, partitionsFor(count))
                    .zipWithIndex()
                    .mapToPair(c -> new Tuple2<>(c._1(), ScaleOutRun.code(organisation, first + c._2())));
            codeOf = codeOf == null ? ofType : codeOf.union(ofType);
        }
        if (codeOf == null) {
            codeOf = spark.<Tuple2<Long, String>>emptyRDD().mapToPair(t -> t);
        }
        codeOf = (run.rematch() ? codeOf.coalesce(decisions.getNumPartitions()) : codeOf)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Long, String> recordCode = decisions.mapToPair(d -> new Tuple2<>(d.customer(), d.record()))
                .join(codeOf)
                .mapToPair(c -> new Tuple2<>(c._2()._1(), c._2()._2()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());

        // 5. the new customers, their links and keys, and the links and keys of records joining customers there
        //    were, staged
        String actor = run.actor();
        JavaPairRDD<String, Iterable<Tuple2<ScaleOut.Decision, ScaleOut.Opened>>> customers = decisions
                .mapToPair(d -> new Tuple2<>(d.record(), d))
                .join(records)
                .mapToPair(r -> new Tuple2<>(r._2()._1().customer(), r._2()))
                .join(codeOf)
                .mapToPair(c -> new Tuple2<>(c._2()._2(), c._2()._1()))
                .groupByKey()
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        customers.foreachPartition(part -> stageCustomers(connect, run, actor, crowdedKeys.value(), part));

        // 6. review items: a record that got a customer of its own, and the best customer it shares a key with
        //    whose records before it (none conflicting; in a re-match also those linked before the run, whatever
        //    their ids) it scored between the thresholds with
        JavaPairRDD<Long, Boolean> alone = decisions.filter(ScaleOut.Decision::alone)
                .mapToPair(d -> new Tuple2<>(d.record(), true));
        JavaPairRDD<Long, Long> partners = pairs.mapToPair(p -> new Tuple2<>(p._2(), p._1()));
        if (run.rematch()) {
            partners = partners.union(pairs.mapToPair(p -> new Tuple2<>(p._2(), p._1()))
                    .join(decisions.filter(ScaleOut.Decision::coded).mapToPair(d -> new Tuple2<>(d.record(), true)))
                    .mapToPair(p -> new Tuple2<>(p._2()._1(), p._1())))
                    .coalesce(pairs.getNumPartitions());
        }
        partners.join(alone)
                .mapToPair(p -> new Tuple2<>(p._2()._1(), p._1()))
                .join(recordCode)
                .mapToPair(p -> new Tuple2<>(p._2()._2(), p._2()._1()))
                .distinct()
                .join(customers)
                .mapToPair(c -> new Tuple2<>(c._2()._1(), new Tuple2<>(c._1(), c._2()._2())))
                .join(records)
                .flatMapToPair(c -> {
                    List<ScaleOut.Opened> members = new ArrayList<>();
                    c._2()._1()._2().forEach(m -> members.add(m._2()));
                    ScaleOut.Scored scored = ScaleOut.review(c._2()._2(), members, thresholds);
                    return (scored == null ? List.<Tuple2<Long, Candidate>>of()
                            : List.of(new Tuple2<>(c._1(), new Candidate(c._2()._1()._1(), scored)))).iterator();
                })
                .reduceByKey(Candidate::better)
                .join(recordCode)
                .filter(r -> !r._2()._1().code().equals(r._2()._2()))
                .join(records)
                .foreachPartition(reviews -> {
                    List<Object[]> rows = new ArrayList<>();
                    OffsetDateTime now = OffsetDateTime.now();
                    reviews.forEachRemaining(r -> {
                        Candidate candidate = r._2()._1()._1();
                        String[] channelKey = ScaleOut.channelKey(r._2()._2());
                        rows.add(new Object[] {channelKey[0], channelKey[1], r._2()._1()._2(), candidate.code(),
                            BigDecimal.valueOf(candidate.scored().score()), candidate.scored().why(), now});
                    });
                    stage(connect, run, Map.of(MatchStaging.Kind.REVIEWS, rows));
                });

        // 7. the queue of refused records, the relations records state, the crowded keys
        slices.foreachPartition(part -> {
            Map<MatchStaging.Kind, List<Object[]>> rows = new EnumMap<>(MatchStaging.Kind.class);
            rows.put(MatchStaging.Kind.PENDING, new ArrayList<>());
            rows.put(MatchStaging.Kind.RELATIONS, new ArrayList<>());
            part.forEachRemaining(s -> {
                rows.get(MatchStaging.Kind.PENDING).addAll(s.pending());
                rows.get(MatchStaging.Kind.RELATIONS).addAll(s.relations());
            });
            stage(connect, run, rows);
        });
        spark.parallelize(Arrays.stream(crowded).boxed().toList(), Math.max(1, crowded.length / 100_000 + 1))
                .foreachPartition(keys -> {
                    List<Object[]> rows = new ArrayList<>();
                    keys.forEachRemaining(k -> rows.add(new Object[] {k}));
                    stage(connect, run, Map.of(MatchStaging.Kind.CROWDED, rows));
                });

        // 8. what the command applies when it moves the rows: the merges of customers there were, and the codes of
        //    the customers whose records change (both as many as the run changes, not as the file holds)
        if (!run.rematch()) {
            return ScaleOutRun.Outcome.NONE;
        }
        List<ScaleOut.Merge> merges = new ArrayList<>();
        clustering.resolved().filter(r -> !r.merges().isEmpty()).map(ScaleOut.Resolved::merges).collect()
                .forEach(merges::addAll);
        Set<String> changed = new HashSet<>(decisions.filter(ScaleOut.Decision::changes).map(ScaleOut.Decision::code)
                .distinct().collect());
        return new ScaleOutRun.Outcome(merges, changed);
    }

    /** The id ranges the records are read in, one per partition. */
    private List<long[]> ranges(ScaleOutRun run) {
        return SparkEngine.ranges(spark, run.firstId(), run.lastId(), partitions, RECORDS_PER_PARTITION);
    }

    private int partitionsFor(long records) {
        return SparkEngine.partitionsFor(spark, records, RECORDS_PER_PARTITION);
    }

    /**
     * The customers of one partition: a new one's golden record, its records' links and blocking keys; of one there
     * was, the links and keys of the records joining it (its golden record is rebuilt when the rows are moved).
     */
    private static void stageCustomers(Workers.Connect connect, ScaleOutRun run, String actor, long[] crowded,
                                       Iterator<Tuple2<String, Iterable<Tuple2<ScaleOut.Decision, ScaleOut.Opened>>>>
                                               customers) {
        Workers.Resources w = Workers.of(connect);
        Map<MatchStaging.Kind, List<Object[]>> rows = new EnumMap<>(MatchStaging.Kind.class);
        rows.put(MatchStaging.Kind.CUSTOMERS, new ArrayList<>());
        rows.put(MatchStaging.Kind.LINKS, new ArrayList<>());
        rows.put(MatchStaging.Kind.KEYS, new ArrayList<>());
        customers.forEachRemaining(customer -> {
            String code = customer._1();
            List<ScaleOut.Opened> opened = new ArrayList<>();
            boolean existing = false;
            for (Tuple2<ScaleOut.Decision, ScaleOut.Opened> linked : customer._2()) {
                existing |= linked._1().code() != null;
                if (!linked._1().coded()) {
                    opened.add(linked._2());
                    rows.get(MatchStaging.Kind.LINKS).add(ScaleOut.linkRow(linked._2(), code, linked._1(), actor));
                }
            }
            if (!existing) {
                rows.get(MatchStaging.Kind.CUSTOMERS).add(ScaleOut.customerRow(code, opened, run.trust(),
                        w.protector()));
            }
            for (ScaleOut.Opened o : opened) {
                // a crowded key is not kept (the single machine writes no row for it either)
                rows.get(MatchStaging.Kind.KEYS).addAll(ScaleOut.keyRows(
                        o.following(k -> Arrays.binarySearch(crowded, k) < 0), code));
            }
        });
        stage(connect, run, rows);
    }

    /** Stages one partition's rows in one transaction. */
    private static void stage(Workers.Connect connect, ScaleOutRun run, Map<MatchStaging.Kind, List<Object[]>> rows) {
        if (rows.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        Workers.of(connect).db().dsl().transaction(tx -> rows.forEach((kind, list) ->
                MatchStaging.stage(tx.dsl(), run.job(), kind, list)));
    }

    /**
     * Candidate pairs of the keys not crowded, the pairs that link, their groups (connected components of those
     * pairs and of the customers there were), and each group resolved into customers with the crowded keys not
     * followed.
     */
    private static Clustering cluster(JavaSparkContext spark, ScaleOutRun run,
                                      JavaPairRDD<Long, ScaleOut.Opened> records, JavaPairRDD<Long, KeyGroup> groups,
                                      long[] crowdedKeys, Broadcast<Set<String>> separations) {
        CodeAssigner.Thresholds thresholds = run.thresholds();
        Broadcast<long[]> crowded = spark.broadcast(crowdedKeys);
        JavaPairRDD<Long, Long> pairs = groups.filter(g -> Arrays.binarySearch(crowded.value(), g._1()) < 0)
                .flatMapToPair(g -> g._2().pairs().iterator())
                .distinct()
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<Components.Edge> edges = pairs.join(records)
                .mapToPair(p -> new Tuple2<>(p._2()._1(), p._2()._2()))
                .join(records)
                .filter(p -> ScaleOut.score(p._2()._1(), p._2()._2(), thresholds).bond() == ScaleOut.Bond.LINK)
                .map(p -> new Components.Edge(p._2()._1().id(), p._2()._2().id()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<Components.Edge> ties = edges;
        if (run.rematch()) {
            // a customer there was is one group whatever its records score now: each of its records tied to its first
            JavaPairRDD<String, Long> linked = records.values().filter(o -> o.code() != null)
                    .mapToPair(o -> new Tuple2<>(o.code(), o.id()))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            ties = edges.union(linked.join(linked.reduceByKey(Math::min))
                    .filter(c -> !c._2()._1().equals(c._2()._2()))
                    .map(c -> new Components.Edge(c._2()._2(), c._2()._1())))
                    .coalesce(edges.getNumPartitions());
        }
        JavaPairRDD<Long, Long> component = Components.of(ties);
        JavaRDD<ScaleOut.Resolved> resolved = records.leftOuterJoin(component)
                .mapToPair(r -> new Tuple2<>(r._2()._2().orElse(r._1()), r._2()._1()))
                .groupByKey()
                .map(g -> {
                    long[] notFollowed = crowded.value();
                    List<ScaleOut.Opened> group = new ArrayList<>();
                    g._2().forEach(o -> group.add(o.following(k -> Arrays.binarySearch(notFollowed, k) < 0)));
                    return ScaleOut.resolve(group, thresholds, separations.value());
                });
        if (run.rematch()) {
            // the merges are collected from it at the end
            resolved = resolved.persist(StorageLevel.MEMORY_AND_DISK_SER());
        }
        JavaRDD<ScaleOut.Decision> decisions = resolved.flatMap(r -> r.decisions().iterator())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        return new Clustering(crowded, pairs, edges, resolved, decisions);
    }

    /**
     * A clustering: the keys it left crowded, its candidate pairs, the pairs that link, each group resolved (with the
     * merges of customers there were), the decisions.
     */
    private record Clustering(Broadcast<long[]> crowded, JavaPairRDD<Long, Long> pairs,
                              JavaRDD<Components.Edge> edges,
                              JavaRDD<ScaleOut.Resolved> resolved, JavaRDD<ScaleOut.Decision> decisions) {
        void unpersist() {
            crowded.unpersist(false);
            pairs.unpersist(false);
            edges.unpersist(false);
            resolved.unpersist(false);
            decisions.unpersist(false);
        }
    }

    private static long[] sorted(List<Long> keys) {
        return keys.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The keys of {@code all} (sorted) not in {@code taken} (sorted). */
    private static long[] without(long[] all, long[] taken) {
        return Arrays.stream(all).filter(k -> Arrays.binarySearch(taken, k) < 0).toArray();
    }

    /** A customer a record may belong to, for review: its code and the verdict. */
    record Candidate(String code, ScaleOut.Scored scored) implements Serializable {
        /** The higher score; of equal ones, the smaller code (the older customer). */
        Candidate better(Candidate other) {
            int byScore = Double.compare(scored.score(), other.scored.score());
            return byScore > 0 || byScore == 0 && code.compareTo(other.code) <= 0 ? this : other;
        }
    }
}
