package cim.core.codes;

import cim.core.protect.FieldProtector;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocking keys of a record: the values on which a new record is looked up among existing customers, so that
 * it is compared with the few that share one, never with all. Stored as keyed hashes (64 bits of the blind-index
 * key's hash in the matcher's context), so the match_key table reveals nothing without the keyset. Identifier keys
 * are always followed; the others only while few customers share them (a switchboard number, 王伟 in a big
 * district are not followed): contacts and name + birth date up to 25, name sound + district (a hint
 * for the review queue, never enough to link) up to five ({@link BlockingKey} lists the kinds).
 */
final class MatchKeys {
    static final String CONTEXT = "match_key";
    /** The kinds, read once: {@code values()} copies its array on every call, and this runs for every record. */
    private static final BlockingKey[] KINDS = BlockingKey.values();

    /**
     * A key: its hash (the first 64 bits of the keyed hash), and how many customers may share it before it is no
     * longer followed.
     */
    record Key(int limit, long hash) { }

    /** A key before it is hashed: its limit and the text hashed ("Pi:" and the ID number, …). */
    record Value(int limit, String canonical) { }

    private MatchKeys() {
    }

    static List<Key> of(MatchRecord r, FieldProtector protector) {
        List<Key> keys = new ArrayList<>(6);
        for (Value value : values(r.values())) {
            keys.add(new Key(value.limit(), protector.keyedBits(CONTEXT, value.canonical())));
        }
        return keys;
    }

    /** The record's keys, of the kinds {@link BlockingKey} lists for its type, in that order. */
    static List<Value> values(MatchValues r) {
        List<Value> keys = new ArrayList<>(6);
        for (BlockingKey kind : KINDS) {
            String value = kind.type() == r.type() ? kind.value(r) : null;
            if (value != null) {
                keys.add(new Value(kind.limit(), kind.canonical(value)));
            }
        }
        return keys;
    }
}
