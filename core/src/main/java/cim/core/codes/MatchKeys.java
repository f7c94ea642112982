package cim.core.codes;

import cim.core.protect.FieldProtector;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocking keys of a record: the values on which a new record is looked up among existing customers, so that
 * it is compared with the few that share one, never with all. Stored as keyed hashes (the matcher's context of
 * the blind-index key), so the match_key table reveals nothing without the keyset. Identifier keys are strong;
 * the others (name + birth date, name sound + district, contacts) are weak: a weak key shared by too many
 * customers (a switchboard number, 王伟 in a big district) is not followed.
 */
final class MatchKeys {
    private static final String CONTEXT = "match_key";

    /** A key: whether it is an identifier, and its hash. */
    record Key(boolean strong, String hash) { }

    private MatchKeys() {
    }

    static List<Key> of(MatchRecord r, FieldProtector protector) {
        List<Key> keys = new ArrayList<>(6);
        String type = r.organisation() ? "G" : "P";
        if (r.organisation()) {
            add(keys, protector, true, type + "u", r.usccValid() ? r.uscc() : null);
            add(keys, protector, true, type + "o", r.orgCodeValid() ? r.orgCode() : null);
            add(keys, protector, false, type + "n", r.name() == null ? null : ChineseName.sound(r.name()));
        } else {
            add(keys, protector, true, type + "i", r.idNumber() != null && r.idNumber().length() == 18
                    ? r.idNumber() : null);
            if (r.name() != null) {
                String sound = ChineseName.sound(r.name());
                add(keys, protector, false, type + "nb", r.birthDate() == null ? null : sound + "|" + r.birthDate());
                add(keys, protector, false, type + "nd", r.district() == null ? null : sound + "|" + r.district());
            }
        }
        add(keys, protector, false, type + "m", r.mobile());
        add(keys, protector, false, type + "e", r.email());
        return keys;
    }

    private static void add(List<Key> keys, FieldProtector protector, boolean strong, String kind, String value) {
        if (value != null) {
            keys.add(new Key(strong, protector.keyedHash(CONTEXT, kind + ":" + value)));
        }
    }
}
