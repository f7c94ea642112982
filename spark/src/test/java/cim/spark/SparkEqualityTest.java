package cim.spark;

import cim.cli.CliRunner;
import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark engine gives the customers {@code codes assign} gives from scratch, on the same generated records: the
 * same pairs of records together (or differing in less than 0.1 % of them, each difference printed with how each
 * engine linked the two records), the same precision and recall against the generator's truth (within 0.001), the
 * review items but for those a key crowded earlier on Spark misses (at most 15 % fewer); and {@code quality check
 * --engine spark} gives the single-machine check's results (the same JSON but for the run's number and time), on
 * both scopes, and across the two files the same counts.
 * A re-match ({@code --rematch}) of a file that has customers gives the customers an incremental {@code codes
 * assign} gives (the same pairs, or less than 0.1 % differing, printed; the same precision and recall), and every
 * customer there was keeps its records together under its code or the older one it merged into.
 * The profile {@code spark-equality}, which CI runs, compares 100,000 records of seed 7, 30,000 of seed 11 and
 * 30,000 of seed 13 re-matched ({@code -Dcim.spark.records=N}, {@code -Dcim.spark.records.second=N} and {@code
 * -Dcim.spark.records.rematch=N}); by default 5,000 of each.
 */
class SparkEqualityTest {
    private static final int RECORDS = Integer.getInteger("cim.spark.records", 5_000);
    private static final int RECORDS_SECOND = Integer.getInteger("cim.spark.records.second", RECORDS);
    private static final int RECORDS_REMATCH = Integer.getInteger("cim.spark.records.rematch", RECORDS);

    @Test
    void sparkGivesTheSameCustomersAsTheSingleMachineEngineOnSeed7() throws Exception {
        compare(7, RECORDS);
    }

    @Test
    void sparkGivesTheSameCustomersAsTheSingleMachineEngineOnSeed11() throws Exception {
        compare(11, RECORDS_SECOND);
    }

    /**
     * Three fifths of the records coded on one machine; then the rest, on one file by an incremental run and on the
     * other by a Spark re-match of the whole file.
     */
    @Test
    void aRematchGivesTheIncrementalRunsCustomersAndKeepsTheCustomersThereWere() throws Exception {
        int seed = 13;
        try (TestDatabase single = TestDatabase.create(Backend.POSTGRESQL);
             TestDatabase spark = TestDatabase.create(Backend.POSTGRESQL)) {
            Path data = single.directory().resolve("data");
            Path records = generated(data, RECORDS_REMATCH, seed);
            Path truth = data.resolve("truth.csv");
            List<String> lines = Files.readAllLines(records);
            int cut = 1 + (lines.size() - 1) * 3 / 5;
            Path first = Files.write(data.resolve("first.csv"), lines.subList(0, cut));
            List<String> rest = new ArrayList<>(List.of(lines.get(0)));
            rest.addAll(lines.subList(cut, lines.size()));
            Path second = Files.write(data.resolve("second.csv"), rest);

            CliRunner one = loaded(single, first);
            one.require("-q", "codes", "assign");
            one.require("-q", "import", second.toString());
            long started = System.nanoTime();
            one.require("-q", "codes", "assign");
            double singleSeconds = (System.nanoTime() - started) / 1e9;
            CliRunner many = loaded(spark, first);
            many.require("-q", "codes", "assign");
            Map<String, String[]> before = links(many);
            many.require("-q", "import", second.toString());
            started = System.nanoTime();
            CliRunner.Result rematch = many.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]", "--rematch");
            double sparkSeconds = (System.nanoTime() - started) / 1e9;

            Compared c = new Compared(one, many, truth);
            System.out.printf("seed %d, %d records, the last %d coded incrementally %.1f s, re-matched on Spark "
                            + "local[2] %.1f s; pairs together: incremental %s; review items %d / %d%n", seed,
                    RECORDS_REMATCH, rest.size() - 1, singleSeconds, sparkSeconds, c, reviews(one), reviews(many));
            c.explain("after the incremental run", "after the re-match");
            System.out.println(rematch.out());
            Map<String, String[]> b = c.b;

            // every customer there was: its records together, under its code or the older one it merged into
            Map<String, Set<String>> after = new HashMap<>();
            before.forEach((record, link) -> after.computeIfAbsent(link[0], code -> new HashSet<>())
                    .add(b.get(record)[0]));
            after.forEach((code, now) -> {
                assertThat(now).as("the codes of the records of " + code).hasSize(1);
                assertThat(now.iterator().next()).as("the code of " + code + "'s records").isLessThanOrEqualTo(code);
            });
            c.assertClose();
            many.require("-q", "audit", "verify");
        }
    }

    private static void compare(int seed, int count) throws Exception {
        try (TestDatabase single = TestDatabase.create(Backend.POSTGRESQL);
             TestDatabase spark = TestDatabase.create(Backend.POSTGRESQL)) {
            Path data = single.directory().resolve("data");
            Path records = generated(data, count, seed);
            Path truth = data.resolve("truth.csv");

            CliRunner one = loaded(single, records);
            long started = System.nanoTime();
            one.require("-q", "codes", "assign");
            double singleSeconds = (System.nanoTime() - started) / 1e9;
            CliRunner many = loaded(spark, records);
            started = System.nanoTime();
            CliRunner.Result sparkRun = many.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]");
            double sparkSeconds = (System.nanoTime() - started) / 1e9;

            Compared c = new Compared(one, many, truth);
            long reviewsA = reviews(one);
            long reviewsB = reviews(many);
            System.out.printf("seed %d, %d records: single machine %.1f s, Spark local[2] %.1f s; pairs together: "
                            + "single %s; review items %d / %d%n", seed, count, singleSeconds, sparkSeconds, c,
                    reviewsA, reviewsB);
            c.explain("on one machine", "on Spark");
            System.out.println(sparkRun.out());
            c.assertClose();
            // Spark crowds a key for all its records, one machine from when its limit is passed (docs/design.md)
            assertThat((double) reviewsB).as("review items on Spark").isBetween(0.85 * reviewsA, 1.0 * reviewsA);

            for (String scope : new String[] {"customer", "source"}) {
                started = System.nanoTime();
                String checkedHere = check(many, scope);
                double hereSeconds = (System.nanoTime() - started) / 1e9;
                started = System.nanoTime();
                String checkedOnSpark = check(many, scope, "--engine", "spark", "--spark-master", "local[2]",
                        "--partitions", "3");
                double sparkCheckSeconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("quality check --scope %s: single machine %.1f s, Spark local[2] %.1f s%n", scope,
                        hereSeconds, sparkCheckSeconds);
                assertThat(checkedOnSpark).as("quality check --scope " + scope + " on Spark").isEqualTo(checkedHere);
            }
            // the two files: channel records the same; golden records, when the customers are, the same counts
            assertThat(check(many, "source")).as("quality of the source records of both files")
                    .isEqualTo(check(one, "source"));
            if (c.onlyA.isEmpty() && c.onlyB.isEmpty()) {
                assertThat(counts(check(many, "customer"))).as("quality of the golden records of both files")
                        .isEqualTo(counts(check(one, "customer")));
            }
        }
    }

    /**
     * The customers of two files of the same records (a: the single machine's, b: Spark's): the pairs of records
     * together in one only, and the precision and recall of each against the generator's truth.
     */
    private static final class Compared {
        final Map<String, String[]> a;
        final Map<String, String[]> b;
        final Set<String> pairsA;
        final Set<String> onlyA;
        final Set<String> onlyB;
        final double[] qualityA;
        final double[] qualityB;

        Compared(CliRunner one, CliRunner many, Path truth) throws Exception {
            a = links(one);
            b = links(many);
            assertThat(b.keySet()).as("the records coded").isEqualTo(a.keySet());
            pairsA = pairs(a);
            Set<String> pairsB = pairs(b);
            onlyA = new HashSet<>(pairsA);
            onlyA.removeAll(pairsB);
            onlyB = new HashSet<>(pairsB);
            onlyB.removeAll(pairsA);
            Map<String, String> real = truth(truth);
            qualityA = quality(a, real);
            qualityB = quality(b, real);
        }

        /** Prints each pair together in one file only. */
        void explain(String first, String second) {
            SparkEqualityTest.explain("together " + first + " only", onlyA, a, b);
            SparkEqualityTest.explain("together " + second + " only", onlyB, a, b);
        }

        /** Less than 0.1 % of the pairs differ; precision and recall within 0.001. */
        void assertClose() {
            assertThat((double) (onlyA.size() + onlyB.size())).as("pairs that differ")
                    .isLessThan(0.001 * pairsA.size());
            assertThat(qualityB[0]).as("precision").isCloseTo(qualityA[0], org.assertj.core.data.Offset.offset(0.001));
            assertThat(qualityB[1]).as("recall").isCloseTo(qualityA[1], org.assertj.core.data.Offset.offset(0.001));
        }

        @Override
        public String toString() {
            return String.format("%d, Spark %d, only the first %d, only Spark %d (%.4f %%); precision %.4f / %.4f, "
                            + "recall %.4f / %.4f", pairsA.size(), pairsA.size() - onlyA.size() + onlyB.size(),
                    onlyA.size(), onlyB.size(), 100.0 * (onlyA.size() + onlyB.size()) / Math.max(1, pairsA.size()),
                    qualityA[0], qualityB[0], qualityA[1], qualityB[1]);
        }
    }

    /** {@code count} records of {@code seed} generated into {@code data}: records.csv, and truth.csv beside it. */
    private static Path generated(Path data, int count, int seed) throws Exception {
        Files.createDirectories(data);
        Path records = data.resolve("records.csv");
        new CliRunner(data).require("-q", "sample", "generate", String.valueOf(count), "--out", records.toString(),
                "--truth", data.resolve("truth.csv").toString(), "--seed", String.valueOf(seed));
        return records;
    }

    /** A quality check's JSON document but for what differs from run to run (its number and time). */
    private static String check(CliRunner cim, String scope, String... engine) {
        List<String> args = new ArrayList<>(List.of("-o", "json", "quality", "check", "--scope", scope));
        args.addAll(List.of(engine));
        CliRunner.Result result = cim.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.toString()).isIn(0, 1);
        return result.out().replaceAll("\"run\":\\d+", "\"run\":0")
                .replaceAll("\"seconds\":[0-9.]+", "\"seconds\":0");
    }

    /** A check's document without the failing keys it names (golden records' codes are numbered differently). */
    private static String counts(String document) {
        return document.replaceAll("\"samples\":\\[[^\\]]*\\]", "\"samples\":[]");
    }

    /** A runner on the database with its keyset, migrated, its channels registered and the records imported. */
    static CliRunner loaded(TestDatabase db, Path records) {
        Path keyset = db.directory().resolve("keyset.json");
        CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url())
                .env("CIM_KEYSET", keyset.toString());
        cim.require("-q", "keys", "init", "--out", keyset.toString());
        cim.require("-q", "db", "migrate");
        cim.channels(CliRunner.SAMPLE_CHANNELS);
        cim.require("-q", "import", records.toString());
        return cim;
    }

    /** Every coded record (channel and key) and its code, rule and score. */
    private static Map<String, String[]> links(CliRunner cim) throws Exception {
        Map<String, String[]> links = new HashMap<>();
        String csv = cim.require("-o", "csv", "codes", "xref").out();
        for (String line : csv.lines().skip(1).toList()) {
            String[] f = line.split(",", -1);
            links.put(f[0] + "," + f[1], new String[] {f[2]});
        }
        return links;
    }

    /** The pairs of records that share a code, each as "key|key" (the smaller first). */
    private static Set<String> pairs(Map<String, String[]> links) {
        Map<String, List<String>> byCode = new HashMap<>();
        links.forEach((record, link) -> byCode.computeIfAbsent(link[0], c -> new ArrayList<>()).add(record));
        Set<String> pairs = new HashSet<>();
        for (List<String> members : byCode.values()) {
            members.sort(String::compareTo);
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    pairs.add(members.get(i) + "|" + members.get(j));
                }
            }
        }
        return pairs;
    }

    private static Map<String, String> truth(Path file) throws Exception {
        Map<String, String> truth = new HashMap<>();
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            String[] f = line.split(",", -1);
            truth.put(f[0] + "," + f[1], f[2]);
        }
        return truth;
    }

    /** Pairwise precision and recall against the truth (as bench/pairwise.awk computes them). */
    private static double[] quality(Map<String, String[]> links, Map<String, String> truth) {
        Map<String, Long> predicted = new HashMap<>();
        Map<String, Long> real = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        links.forEach((record, link) -> {
            String entity = truth.get(record);
            if (entity != null) {
                predicted.merge(link[0], 1L, Long::sum);
                real.merge(entity, 1L, Long::sum);
                both.merge(link[0] + "\u0000" + entity, 1L, Long::sum);
            }
        });
        double p = predicted.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        double t = real.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        double ok = both.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        return new double[] {p == 0 ? 1 : ok / p, t == 0 ? 1 : ok / t};
    }

    private static long reviews(CliRunner cim) {
        String csv = cim.require("-o", "csv", "codes", "review", "list", "--limit", "1000000").out();
        return csv.lines().skip(1).count();
    }

    /** Prints each differing pair: the two records, and the code each engine gave each of them. */
    private static void explain(String what, Set<String> pairs, Map<String, String[]> a, Map<String, String[]> b) {
        Map<String, String> sorted = new TreeMap<>();
        for (String pair : pairs) {
            String[] records = pair.split("\\|");
            sorted.put(pair, String.format("  %s: %s [single %s, spark %s] and %s [single %s, spark %s]", what,
                    records[0], a.get(records[0])[0], b.get(records[0])[0], records[1], a.get(records[1])[0],
                    b.get(records[1])[0]));
        }
        sorted.values().forEach(System.out::println);
    }
}
