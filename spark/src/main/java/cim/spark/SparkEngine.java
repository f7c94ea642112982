package cim.spark;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.ScaleOutEngine;
import cim.core.codes.CodeAssigner;
import cim.core.codes.ScaleOutRun;
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
        return (run, separated, codes) -> {
            ScaleOutRun.Outcome[] outcome = new ScaleOutRun.Outcome[1];
            in(setup, "cim codes assign", spark -> outcome[0] =
                    new SparkMatch(spark, connect(setup), setup.partitions()).run(run, separated, codes));
            return outcome[0];
        };
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
        SparkConf conf = conf(setup, name);
        boolean local = inProcess(conf.get("spark.master"));
        if (!local && !(conf.getBoolean("spark.authenticate", false)
                && (conf.getBoolean("spark.network.crypto.enabled", false)
                || conf.getBoolean("spark.ssl.enabled", false)))) {
            // the keyset is served to the executors, and opened records cross the network between them
            throw new CimException(Failure.CONFIGURATION, "--engine spark on a cluster needs spark.authenticate "
                    + "and spark.network.crypto.enabled (or spark.ssl.enabled): without them anyone who reaches the "
                    + "driver may fetch the keyset, and opened records cross the network in clear",
                    "add --conf spark.authenticate=true --conf spark.network.crypto.enabled=true to spark-submit "
                    + "(see the README's 'When one machine is not enough')");
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            if (local) {
                Workers.inProcess(new Workers.Resources(setup.db(), setup.protector()));
            } else {
                spark.addFile(setup.keyset().toString());
            }
            try {
                job.accept(spark);
            } finally {
                Workers.inProcess(null);
            }
        } catch (RuntimeException e) {
            // a failure of cim's own in a task (a missing keyset, a refused role …) keeps its exit code
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof CimException cim) {
                    throw cim;
                }
            }
            throw e;
        }
    }

    /** Whether a master runs the executors in this process ({@code local}, {@code local[N]}, not local-cluster). */
    static boolean inProcess(String master) {
        return master.equals("local") || master.startsWith("local[");
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
        if (inProcess(conf.get("spark.master"))) {
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

    /** How executors connect: the URL without a password in it (they take theirs from their environment). */
    private static Workers.Connect connect(Setup setup) {
        return new Workers.Connect(withoutPassword(setup.db().target().jdbcUrl()), setup.user(),
                setup.keyset().getFileName().toString());
    }

    static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&])password=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }
}
