package cim.core.codes;

import org.jooq.DSLContext;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static org.jooq.impl.DSL.selectOne;

/**
 * Every blocking key of the database held in memory for one {@code codes assign} run, so that its chunks find the
 * customers sharing a key without asking the database. Worth it when the run writes most of the keys there will be
 * (the first run over a new database, or one that brings in several times as many records as there are keys): the
 * keys found at the start are read once, and those the run writes are added as it goes; merges redirect the
 * absorbed code, as they do in match_key. It stays true because nothing else writes keys while the run holds its
 * lock. Keys (64-bit keyed hashes, as good as random) and codes are kept as numbers: a few dozen bytes a key.
 */
final class RunKeys {
    /** Memory per key held, with the open-addressing slots at half load. */
    static final long BYTES_PER_KEY = 40;
    /** Keys a record has at most (identifier, name + birth date, name sound + district, mobile, e-mail). */
    static final int KEYS_PER_RECORD = 6;
    /** The database's keys are read into memory only while not more than this many times the run's records. */
    static final int READ_AT_MOST = 4;

    private long[] slotKey = new long[1 << 16];
    /** Per slot: its first entry + 1 (0: the slot is empty). */
    private int[] slotHead = new int[1 << 16];
    private int used;
    private long[] entryCode = new long[1 << 16];
    private int[] entryNext = new int[1 << 16];
    private int entries;
    private final Map<Long, Long> mergedInto = new HashMap<>();
    private final Set<Long> crowded = new HashSet<>();

    /**
     * The keys of the database read into memory for a run over {@code records} records, or null when the
     * database holds too many for that to pay (the run then looks keys up chunk by chunk) or they would take more
     * than {@code memory} bytes.
     */
    static RunKeys forRun(DSLContext dsl, long records, long memory) {
        if (records == 0) {
            return null;
        }
        long most = READ_AT_MOST * records;
        int stored = dsl.fetchCount(selectOne().from(MATCH_KEY).limit(most + 1));
        if (stored > most || (stored + records * KEYS_PER_RECORD) * BYTES_PER_KEY > memory) {
            return null;
        }
        RunKeys keys = new RunKeys();
        try (var rows = dsl.select(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE).from(MATCH_KEY).fetchSize(10_000)
                .fetchLazy()) {
            rows.forEach(row -> keys.add(row.value1(), row.value2()));
        }
        keys.crowded.addAll(dsl.select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY).fetch(CROWDED_KEY.MATCH_KEY));
        return keys;
    }

    /** Whether the key was found shared by too many customers (it is no longer followed). */
    boolean crowded(long hash) {
        return crowded.contains(hash);
    }

    /** The key is crowded from now on: its customers are no longer kept. */
    void crowd(long hash) {
        crowded.add(hash);
    }

    /**
     * The codes of the customers sharing each of {@code hashes} that is not crowded (merged codes followed to
     * their survivor), in the order they got the key; keys nobody has are left out.
     */
    Map<Long, Set<String>> codes(Collection<Long> hashes) {
        Map<Long, Set<String>> byKey = new LinkedHashMap<>();
        for (Long hash : hashes) {
            if (crowded.contains(hash)) {
                continue;
            }
            int slot = find(hash);
            if (slotHead[slot] == 0) {
                continue;
            }
            Set<String> codes = new LinkedHashSet<>();
            for (int e = slotHead[slot] - 1; e >= 0; e = entryNext[e] - 1) {
                codes.add(code(survivor(entryCode[e])));
            }
            byKey.put(hash, codes);
        }
        return byKey;
    }

    /** A customer was given the key (a crowded key is not kept). */
    void add(long key, String code) {
        if (crowded.contains(key)) {
            return;
        }
        long number = number(code);
        int slot = find(key);
        if (slotHead[slot] == 0) {
            slotKey[slot] = key;
            slotHead[slot] = newEntry(number);
            if (++used * 2 > slotKey.length) {
                rehash();
            }
            return;
        }
        int e = slotHead[slot] - 1;
        while (true) {
            if (entryCode[e] == number) {
                return;
            }
            if (entryNext[e] == 0) {
                int next = newEntry(number); // may replace entryNext: assigned after
                entryNext[e] = next;
                return;
            }
            e = entryNext[e] - 1;
        }
    }

    /** A customer was merged into another: its keys now lead to the survivor. */
    void merged(String absorbed, String survivor) {
        mergedInto.put(number(absorbed), number(survivor));
    }

    private long survivor(long code) {
        Long next = mergedInto.get(code);
        while (next != null) {
            code = next;
            next = mergedInto.get(code);
        }
        return code;
    }

    private int newEntry(long code) {
        if (entries == entryCode.length) {
            entryCode = Arrays.copyOf(entryCode, entries * 2);
            entryNext = Arrays.copyOf(entryNext, entries * 2);
        }
        entryCode[entries] = code;
        entryNext[entries] = 0;
        return ++entries;
    }

    /** The slot holding the key, or the empty slot where it would go. */
    private int find(long key) {
        int mask = slotKey.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (slotHead[slot] != 0 && slotKey[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void rehash() {
        long[] oldKeys = slotKey;
        int[] oldHeads = slotHead;
        slotKey = new long[oldKeys.length * 2];
        slotHead = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldHeads[i] != 0) {
                int slot = find(oldKeys[i]);
                slotKey[slot] = oldKeys[i];
                slotHead[slot] = oldHeads[i];
            }
        }
    }

    /** A customer code as a number: its sequence, and whether it is an organisation's. */
    static long number(String code) {
        CustomerCode parsed = new CustomerCode(code);
        return parsed.sequence() << 1 | (parsed.organisation() ? 1 : 0);
    }

    static String code(long number) {
        return CustomerCode.of((number & 1) == 1, number >>> 1).value();
    }
}
