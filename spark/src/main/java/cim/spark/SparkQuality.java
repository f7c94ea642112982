package cim.spark;

import cim.core.quality.QualityScan;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.jooq.DSLContext;

import java.util.List;

/**
 * {@code quality check --engine spark}: the records to check are read in id ranges, one per partition; each
 * executor opens and judges its range's records as the single-machine check does ({@link QualityScan#check}), and
 * the partitions' tallies (counts, and the smallest failing keys) are added up on the driver.
 */
final class SparkQuality {
    /** Rows per partition when the engine decides. */
    private static final long ROWS_PER_PARTITION = 100_000;

    private SparkQuality() {
    }

    static QualityScan.Tallies check(JavaSparkContext spark, Workers.Connect connect, DSLContext driver,
                                     QualityScan scan, int partitions) {
        long[] ids = scan.ids(driver);
        List<long[]> ranges = SparkEngine.ranges(spark, ids[0], ids[1], partitions, ROWS_PER_PARTITION);
        Broadcast<QualityScan> shipped = spark.broadcast(scan);
        return spark.parallelize(ranges, ranges.size())
                .map(range -> {
                    Workers.Resources w = Workers.of(connect);
                    return shipped.value().check(w.db().dsl(), w.protector(), range[0], range[1]);
                })
                .reduce(QualityScan.Tallies::plus);
    }
}
