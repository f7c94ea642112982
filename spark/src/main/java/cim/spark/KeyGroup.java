package cim.spark;

import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records that share one blocking key: its limit, and their ids (all of them for an identifier key; for
 * another, up to {@link #PER_CUSTOMER} times its limit and one more: a key with more records than that is
 * crowded whatever customers they make; one with fewer, but more than its limit, is crowded if they make more
 * customers than the limit).
 */
final class KeyGroup implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The most records of a key that are all paired; beyond, an identifier key is joined in stars. */
    private static final int ALL_PAIRS = 64;
    /** The records of a big identifier key each paired with. */
    private static final int STAR_CENTRES = 8;
    /** Records per customer assumed at most when a key's records are counted by customers. */
    static final int PER_CUSTOMER = 8;

    /** A blocking key and its limit: how many customers may share it before it is crowded. */
    record KeyLimit(long key, int limit) implements Serializable { }

    private final int limit;
    private long[] ids;
    private int size;

    private KeyGroup(int limit, long[] ids, int size) {
        this.limit = limit;
        this.ids = ids;
        this.size = size;
    }

    static KeyGroup of(int limit, long id) {
        return new KeyGroup(limit, new long[] {id}, 1);
    }

    private int room() {
        return limit == Integer.MAX_VALUE ? Integer.MAX_VALUE : limit * PER_CUSTOMER + 1;
    }

    KeyGroup plus(KeyGroup other) {
        int room = room();
        int total = (int) Math.min(room, (long) size + other.size);
        if (ids.length < total) {
            ids = Arrays.copyOf(ids, (int) Math.max(total, Math.min(room, ids.length * 2L)));
        }
        for (int i = 0; i < other.size && size < total; i++) {
            ids[size++] = other.ids[i];
        }
        return this;
    }

    /** More records than its limit share it: crowded, or to be counted by customers. */
    boolean over() {
        return limit != Integer.MAX_VALUE && size > limit;
    }

    /** So many records share it that it is crowded whatever customers they make. */
    boolean full() {
        return limit != Integer.MAX_VALUE && size >= room();
    }

    /** Each of its records with the key and its limit. */
    List<Tuple2<Long, KeyLimit>> members(long key) {
        KeyLimit keyLimit = new KeyLimit(key, limit);
        List<Tuple2<Long, KeyLimit>> members = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            members.add(new Tuple2<>(ids[i], keyLimit));
        }
        return members;
    }

    /**
     * Its candidate pairs (smaller id first): all of them; for an identifier key of more than {@link #ALL_PAIRS}
     * records (one person's, as a rule), stars from its smallest records.
     */
    List<Tuple2<Long, Long>> pairs() {
        long[] sorted = Arrays.copyOf(ids, size);
        Arrays.sort(sorted);
        List<Tuple2<Long, Long>> pairs = new ArrayList<>();
        int centres = size <= ALL_PAIRS || limit != Integer.MAX_VALUE ? size : STAR_CENTRES;
        for (int i = 0; i < centres; i++) {
            for (int j = i + 1; j < size; j++) {
                pairs.add(new Tuple2<>(sorted[i], sorted[j]));
            }
        }
        return pairs;
    }
}
