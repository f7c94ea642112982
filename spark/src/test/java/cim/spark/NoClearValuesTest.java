package cim.spark;

import cim.cli.CliRunner;
import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing sealed reaches Spark's disk or logs in clear: while {@code codes assign --engine spark} runs (the initial
 * load, then a re-match of the file), every file
 * Spark writes under its local directory (shuffle and spill files, blocks) is copied away as it appears, and Spark's
 * log is written at INFO; afterwards neither holds any tier-1 value of the records (ID numbers, mobiles, names). A
 * control run of a plain Spark shuffle of the same values without cim's settings shows the copies would find them.
 */
class NoClearValuesTest {
    private static final int RECORDS = 3_000;

    @Test
    void noTierOneValueInTheShuffleSpillOrLog() throws Exception {
        try (TestDatabase db = TestDatabase.create(Backend.POSTGRESQL)) {
            Path data = db.directory().resolve("data");
            Files.createDirectories(data);
            Path records = data.resolve("records.csv");
            new CliRunner(data).require("-q", "sample", "generate", String.valueOf(RECORDS), "--out",
                    records.toString(), "--seed", "5", "--defect-rate", "0");
            List<byte[]> secrets = tierOneValues(records);
            assertThat(secrets).hasSizeGreaterThan(RECORDS);

            Path local = Files.createDirectories(db.directory().resolve("spark-local"));
            Path copies = Files.createDirectories(db.directory().resolve("copies"));
            // the log file stays open in log4j for the whole test JVM: this run's part is what follows its size now
            Path log = Path.of("target", "spark-test.log");
            long logFrom = Files.exists(log) ? Files.size(log) : 0;
            CliRunner cim = SparkEqualityTest.loaded(db, records);
            System.setProperty("spark.local.dir", local.toString());
            try (Copier copier = new Copier(local, copies)) {
                cim.require("-q", "codes", "assign", "--engine", "spark", "--spark-master", "local[2]",
                        "--partitions", "4");
                // and a re-match of the coded file, which also ships the customers' codes and merges
                cim.require("-q", "codes", "assign", "--engine", "spark", "--spark-master", "local[2]",
                        "--partitions", "4", "--rematch");
                copier.close();
                assertThat(copier.copied).as("files Spark wrote while it ran").isGreaterThan(0);
            } finally {
                System.clearProperty("spark.local.dir");
            }
            assertThat(found(copies, secrets)).as("tier-1 values in Spark's files").isEmpty();
            assertThat(log).exists();
            byte[] logged = Files.readAllBytes(log);
            assertThat(logged.length).as("Spark's log grew while cim ran").isGreaterThan((int) logFrom);
            assertThat(found("spark-test.log", Arrays.copyOfRange(logged, (int) logFrom, logged.length), secrets))
                    .as("tier-1 values in Spark's log").isEmpty();

            // the control: the same values through a plain shuffle, not encrypted, are found by the same search
            Path plain = Files.createDirectories(db.directory().resolve("plain-local"));
            Path plainCopies = Files.createDirectories(db.directory().resolve("plain-copies"));
            try (Copier copier = new Copier(plain, plainCopies);
                 JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[2]")
                         .setAppName("control").set("spark.local.dir", plain.toString())
                         .set("spark.shuffle.compress", "false").set("spark.ui.enabled", "false"))) {
                List<String> values = secrets.stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
                spark.parallelize(values, 4).mapToPair(v -> new Tuple2<>(v.hashCode() % 7, v)).groupByKey(3)
                        .count();
                copier.close();
            }
            assertThat(found(plainCopies, secrets)).as("the control finds clear values").isNotEmpty();
        }
    }

    /** The tier-1 values of the records file: ID numbers, mobiles and names (the columns the sample writes). */
    private static List<byte[]> tierOneValues(Path records) throws IOException {
        List<String> lines = Files.readAllLines(records);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<byte[]> values = new ArrayList<>();
        for (String column : List.of("id_number", "mobile", "name")) {
            int at = header.indexOf(column);
            assertThat(at).as(column + " in the sample").isNotNegative();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                // short names (two characters) could occur by chance in binary data: three and more
                if (f.length > at && f[at].length() >= (column.equals("name") ? 3 : 11)) {
                    values.add(f[at].getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    /** The values found in the files under {@code where}, as file name and length (never the value itself). */
    private static List<String> found(Path where, List<byte[]> values) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(where)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                found.addAll(found(file.getFileName().toString(), Files.readAllBytes(file), values));
            }
        }
        return found;
    }

    /** The values found in one file's content: every window of a value's length is looked up in a hash set. */
    private static List<String> found(String name, byte[] content, List<byte[]> values) {
        Set<ByteBuffer> wanted = new HashSet<>();
        SortedSet<Integer> lengths = new TreeSet<>();
        for (byte[] value : values) {
            wanted.add(ByteBuffer.wrap(value));
            lengths.add(value.length);
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < content.length; i++) {
            for (int length : lengths) {
                if (i + length > content.length) {
                    break;
                }
                if (wanted.contains(ByteBuffer.wrap(content, i, length))) {
                    found.add(name + ": " + length + " bytes at " + i);
                }
            }
        }
        return found;
    }

    /** Copies every file that appears under a directory, every few milliseconds, until closed. */
    private static final class Copier implements AutoCloseable {
        private final Path from;
        private final Path to;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int copied;

        Copier(Path from, Path to) {
            this.from = from;
            this.to = to;
            this.thread = new Thread(this::loop, "copier");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running.get()) {
                copyAll();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void copyAll() {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = to.resolve(from.relativize(file).toString().replace('/', '_'));
                    try {
                        if (!Files.exists(target) || Files.size(target) < Files.size(file)) {
                            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                            copied++;
                        }
                    } catch (IOException gone) {
                        // deleted meanwhile
                    }
                }
            } catch (IOException | UncheckedIOException gone) {
                // a directory deleted meanwhile
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (running.getAndSet(false)) {
                thread.join();
                copyAll();
            }
        }
    }
}
