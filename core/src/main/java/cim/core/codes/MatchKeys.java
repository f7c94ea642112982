package cim.core.codes;

import cim.core.protect.FieldProtector;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocking keys of a record: the values on which a new record is looked up among existing customers, so that
 * it is compared with the few that share one, never with all. Stored as keyed hashes (64 bits of the blind-index
 * key's hash in the matcher's context), so the match_key table reveals nothing without the keyset. Identifier keys
 * are always followed; the others only while few customers share them (a switchboard number, 王伟 in a big
 * district are not followed): contacts and name + birth date up to {@link #WEAK}, name sound + district (a hint
 * for the review queue, never enough to link) up to {@link #HINT}.
 */
final class MatchKeys {
    static final String CONTEXT = "match_key";

    /** Identifiers are always followed. */
    static final int UNLIMITED = Integer.MAX_VALUE;
    /** Contacts and name + birth date: a key shared by more customers than this is not followed. */
    static final int WEAK = 25;
    /** Name sound + district is only a hint (it never links by itself): followed while it is rare. */
    static final int HINT = 5;

    /**
     * A key: its hash (the first 64 bits of the keyed hash), and how many customers may share it before it is no
     * longer followed.
     */
    record Key(int limit, long hash) { }

    private MatchKeys() {
    }

    /** A key before it is hashed: its limit and the text hashed ("Pi:" and the ID number, …). */
    record Value(int limit, String canonical) { }

    static List<Key> of(MatchRecord r, FieldProtector protector) {
        List<Key> keys = new ArrayList<>(6);
        for (Value value : values(r)) {
            keys.add(new Key(value.limit(), protector.keyedBits(CONTEXT, value.canonical())));
        }
        return keys;
    }

    static List<Value> values(MatchRecord r) {
        List<Value> keys = new ArrayList<>(6);
        String type = r.organisation() ? "G" : "P";
        if (r.organisation()) {
            add(keys, UNLIMITED, type + "u", r.usccValid() ? r.uscc() : null);
            add(keys, UNLIMITED, type + "o", r.orgCodeValid() ? r.orgCode() : null);
            add(keys, WEAK, type + "n", r.name() == null ? null : ChineseName.sound(r.name()));
        } else {
            add(keys, UNLIMITED, type + "i", r.idNumber() != null && r.idNumber().length() == 18
                    ? r.idNumber() : null);
            if (r.name() != null) {
                String sound = ChineseName.sound(r.name());
                add(keys, WEAK, type + "nb", r.birthDate() == null ? null : sound + "|" + r.birthDate());
                add(keys, HINT, type + "nd", r.district() == null ? null : sound + "|" + r.district());
            }
        }
        add(keys, WEAK, type + "m", r.mobile());
        add(keys, WEAK, type + "e", r.email());
        return keys;
    }

    private static void add(List<Value> keys, int limit, String kind, String value) {
        if (value != null) {
            keys.add(new Value(limit, kind + ":" + value));
        }
    }
}
