package cim.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.List;

/** The groups of records that scoring ties together: connected components of the pairs that link, in Spark. */
final class Components {
    private Components() {
    }

    /** A pair of records that links. */
    record Edge(long a, long b) implements Serializable { }

    /**
     * Connected components of the graph of pairs that link: each record's component, named by its smallest record
     * id (min-label propagation, a round per step of the longest shortest path; groups are small).
     */
    static JavaPairRDD<Long, Long> of(JavaRDD<Edge> links) {
        JavaPairRDD<Long, Long> neighbours = links
                .flatMapToPair(e -> List.of(new Tuple2<>(e.a(), e.b()), new Tuple2<>(e.b(), e.a())).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Long, Long> labels = neighbours.mapToPair(n -> new Tuple2<>(n._1(), n._1()))
                .reduceByKey(Math::min).persist(StorageLevel.MEMORY_AND_DISK_SER());
        while (true) {
            JavaPairRDD<Long, Long> next = neighbours.join(labels)
                    .mapToPair(n -> new Tuple2<>(n._2()._1(), n._2()._2()))
                    .union(labels)
                    .reduceByKey(Math::min)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            long changed = next.join(labels).filter(l -> !l._2()._1().equals(l._2()._2())).count();
            labels.unpersist(false);
            labels = next;
            if (changed == 0) {
                return labels;
            }
        }
    }
}
