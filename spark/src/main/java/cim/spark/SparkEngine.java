package cim.spark;

import cim.core.ScaleOutEngine;
import cim.core.codes.CodeAssigner;
import cim.core.quality.QualityCheck;
import cim.core.quality.QualityScan;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Spark engine ({@code --engine spark}): runs the job in the command's process on {@code --spark-master local[N]},
 * or on the cluster {@code spark-submit} names. Spark's own shuffle and spill files are encrypted (a key made for the
 * application), so that tier-1 values opened on the executors never reach a disk in clear.
 */
public final class SparkEngine implements ScaleOutEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public CodeAssigner.Elsewhere assigner(Setup setup) {
        return (run, codes) -> in(setup, "cim codes assign", spark ->
                new SparkMatch(spark, connect(setup), setup.partitions()).run(run, codes));
    }

    @Override
    public QualityCheck.Elsewhere checker(Setup setup) {
        return scan -> {
            QualityScan.Tallies[] tallies = new QualityScan.Tallies[1];
            in(setup, "cim quality check", spark -> tallies[0] = SparkQuality.check(spark, connect(setup),
                    setup.db().dsl(), scan, setup.partitions()));
            return tallies[0];
        };
    }

    /** Runs a job in a Spark application of its own, its workers given the command's resources in this process. */
    private static void in(Setup setup, String name, Consumer<JavaSparkContext> job) {
        try (JavaSparkContext spark = new JavaSparkContext(conf(setup, name))) {
            if (spark.master().startsWith("local")) {
                Workers.inProcess(new Workers.Resources(setup.db(), setup.protector()));
            } else {
                spark.addFile(setup.keyset().toString());
            }
            try {
                job.accept(spark);
            } finally {
                Workers.inProcess(null);
            }
        }
    }

    /**
     * The id ranges from {@code first} to {@code last} read in partitions: {@code partitions} of them, or (0) one
     * per {@code perPartition} ids and at least twice the cores; one empty range when there is nothing to read.
     */
    static List<long[]> ranges(JavaSparkContext spark, long first, long last, int partitions, long perPartition) {
        if (last < first) {
            return List.of(new long[] {first, last});
        }
        long span = last - first + 1;
        int n = partitions > 0 ? partitions : partitionsFor(spark, span, perPartition);
        long step = (span + n - 1) / n;
        List<long[]> ranges = new ArrayList<>(n);
        for (long from = first; from <= last; from += step) {
            ranges.add(new long[] {from, Math.min(last, from + step - 1)});
        }
        return ranges;
    }

    /** Partitions for some items: one per {@code perPartition}, at least twice the cores. */
    static int partitionsFor(JavaSparkContext spark, long items, long perPartition) {
        int atLeast = Math.max(2, spark.defaultParallelism() * 2);
        return (int) Math.max(atLeast, Math.min(100_000, items / perPartition + 1));
    }

    static SparkConf conf(Setup setup, String name) {
        SparkConf conf = new SparkConf().setAppName(name)
                // the records travel between executors opened: what Spark writes to local disk is encrypted
                .set("spark.io.encryption.enabled", "true")
                .set("spark.ui.enabled", "false")
                .set("spark.speculation", "false");
        if (setup.master() != null) {
            conf.setMaster(setup.master());
        }
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // in this process: nothing listens beyond this machine, and what its threads exchange is authenticated
            // and encrypted as a cluster's should be (see the README)
            conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1")
                    .set("spark.authenticate", "true").set("spark.authenticate.secret", secret())
                    .set("spark.network.crypto.enabled", "true");
        }
        return conf;
    }

    /** A secret for one run in this process. */
    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Workers.Connect connect(Setup setup) {
        return new Workers.Connect(setup.db().target().jdbcUrl(), setup.user(), setup.keyset().getFileName()
                .toString());
    }
}
