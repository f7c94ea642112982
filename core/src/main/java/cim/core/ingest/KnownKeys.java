package cim.core.ingest;

import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record1;

import java.util.HashMap;
import java.util.Map;

import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The source keys one import may have seen before, per channel: the keys already stored and those read so far from
 * the file, in one Bloom filter. "New" is certain (no false negatives), so such a row can go straight into
 * source_record as version 1; a "maybe seen" row takes the staged path, which works out its version. A channel
 * with more stored keys than a few times the file's rows is not loaded (that would cost more than it saves): its
 * rows are all staged. The filter's size is fixed when it is made (at most 32 MiB), so memory stays bounded.
 */
final class KnownKeys {
    private static final int BITS_PER_KEY = 10;
    private static final int PROBES = 7;
    private static final int MIN_BITS_LOG2 = 16;
    private static final int MAX_BITS_LOG2 = 28;
    /** Load a channel's stored keys only when they are at most this many times the rows expected. */
    private static final int LOAD_FACTOR = 4;

    private final DSLContext tx;
    private final long loadLimit;
    private final Map<String, Boolean> channels = new HashMap<>();
    private final long[] words;
    private final long mask;

    KnownKeys(DSLContext tx, long rowsExpected) {
        this.tx = tx;
        this.loadLimit = Math.max(10_000, LOAD_FACTOR * rowsExpected);
        long keys = rowsExpected + loadLimit;
        int log2 = MIN_BITS_LOG2;
        while (log2 < MAX_BITS_LOG2 && (1L << log2) < keys * BITS_PER_KEY) {
            log2++;
        }
        words = new long[1 << (log2 - 6)];
        mask = (1L << log2) - 1;
    }

    /** Records the channel's key; true when it is certainly new (neither stored nor earlier in the file). */
    boolean isNew(String channel, String key) {
        boolean known = channels.computeIfAbsent(channel, this::load);
        return add(channel + '\u0000' + key) && known;
    }

    /** Puts the channel's stored keys into the filter; false when there are too many to be worth it. */
    private boolean load(String channel) {
        var ofChannel = SOURCE_RECORD.SOURCE_SYSTEM.eq(channel);
        int stored = tx.fetchCount(tx.selectOne().from(SOURCE_RECORD).where(ofChannel).limit(loadLimit + 1));
        if (stored > loadLimit) {
            return false;
        }
        if (stored > 0) {
            try (Cursor<Record1<String>> cursor = tx.select(SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD)
                    .where(ofChannel).fetchSize(10_000).fetchLazy()) {
                cursor.forEach(r -> add(channel + '\u0000' + r.value1()));
            }
        }
        return true;
    }

    private boolean add(String key) {
        long h1 = hash(key, 0x9E3779B97F4A7C15L);
        long h2 = hash(key, 0xC2B2AE3D27D4EB4FL) | 1;
        boolean fresh = false;
        for (int i = 0; i < PROBES; i++) {
            long bit = (h1 + i * h2) & mask;
            int word = (int) (bit >>> 6);
            long flag = 1L << bit;
            if ((words[word] & flag) == 0) {
                fresh = true;
                words[word] |= flag;
            }
        }
        return fresh;
    }

    /** A 64-bit hash of the key's characters (FNV-1a with a seed, then a finalising mix). */
    private static long hash(String key, long seed) {
        long h = seed;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
