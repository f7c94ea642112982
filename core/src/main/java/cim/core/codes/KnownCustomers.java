package cim.core.codes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The customers one {@code codes assign} run has loaded or made, with their opened records, so that a later chunk
 * finds a candidate without reading and decrypting its records again. It stays true because nothing else links
 * records while the run holds its lock: after each chunk the customers it touched are put back as they now are,
 * and those merged away are dropped. Bounded by a number of records (least recently used go first).
 */
final class KnownCustomers {
    /** Measured: about 1.2 KB a record (its stored values packed, and its opened values). */
    private static final long BYTES_PER_RECORD = 1_200;

    private final long capacity;
    private long records;
    private final LinkedHashMap<String, List<MatchRecord>> byCode = new LinkedHashMap<>(1024, 0.75f, true);

    KnownCustomers(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Sized to take at most an eighth of the heap: the collector traces and copies what is kept, and keeping all
     * of a 1M-record run (a quarter of a 6 GB heap) cost it about what the reads it spared had cost.
     */
    static KnownCustomers forHeap() {
        return new KnownCustomers(Runtime.getRuntime().maxMemory() / 8 / BYTES_PER_RECORD);
    }

    /** The customer's current records (a copy the caller may change), or null when not known. */
    List<MatchRecord> get(String code) {
        List<MatchRecord> known = byCode.get(code);
        return known == null ? null : new ArrayList<>(known);
    }

    /** The customer's records as they now are, in record order (as the database gives them). */
    void put(String code, Collection<MatchRecord> current) {
        if (capacity <= 0) {
            return;
        }
        List<MatchRecord> sorted = new ArrayList<>(current);
        sorted.sort(Comparator.comparingLong(MatchRecord::id));
        remove(code);
        byCode.put(code, sorted);
        records += sorted.size();
        var eldest = byCode.entrySet().iterator();
        while (records > capacity && eldest.hasNext()) {
            records -= eldest.next().getValue().size();
            eldest.remove();
        }
    }

    /** A customer merged away: it has no records of its own any more. */
    void remove(String code) {
        List<MatchRecord> old = byCode.remove(code);
        if (old != null) {
            records -= old.size();
        }
    }
}
