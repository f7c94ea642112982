package cim.core.codes;

import cim.core.CustomerType;
import cim.core.protect.CustomerField;

import java.util.List;

/**
 * The kinds of blocking key ({@link MatchKeys}): what value of a record each is made of, how many customers may share
 * one before it is no longer followed, and the prefix its hashed text starts with ("Pi:" and the ID number). The
 * prefixes are stored (hashed) in match_key: changing one orphans every stored key of its kind.
 */
public enum BlockingKey {
    PERSON_ID(CustomerType.PERSON, "Pi", Limit.UNLIMITED, CustomerField.ID_NUMBER) {
        @Override
        String value(MatchValues r) {
            String id = r.idNumber().value();
            return id != null && id.length() == 18 ? id : null;
        }
    },
    PERSON_NAME_BIRTH(CustomerType.PERSON, "Pnb", Limit.WEAK, null) {
        @Override
        String value(MatchValues r) {
            return r.name() == null || r.birthDate() == null ? null : ChineseName.sound(r.name()) + "|" + r.birthDate();
        }
    },
    PERSON_NAME_DISTRICT(CustomerType.PERSON, "Pnd", Limit.HINT, null) {
        @Override
        String value(MatchValues r) {
            return r.name() == null || r.district() == null ? null : ChineseName.sound(r.name()) + "|" + r.district();
        }
    },
    PERSON_MOBILE(CustomerType.PERSON, "Pm", Limit.WEAK, CustomerField.MOBILE) {
        @Override
        String value(MatchValues r) {
            return r.mobile();
        }
    },
    PERSON_EMAIL(CustomerType.PERSON, "Pe", Limit.WEAK, CustomerField.EMAIL) {
        @Override
        String value(MatchValues r) {
            return r.email();
        }
    },
    ORG_USCC(CustomerType.ORG, "Gu", Limit.UNLIMITED, CustomerField.USCC) {
        @Override
        String value(MatchValues r) {
            return r.uscc().valid() ? r.uscc().value() : null;
        }
    },
    ORG_CODE(CustomerType.ORG, "Go", Limit.UNLIMITED, null) {
        @Override
        String value(MatchValues r) {
            return r.orgCode().valid() ? r.orgCode().value() : null;
        }
    },
    ORG_NAME(CustomerType.ORG, "Gn", Limit.WEAK, null) {
        @Override
        String value(MatchValues r) {
            return r.name() == null ? null : ChineseName.sound(r.name());
        }
    },
    ORG_MOBILE(CustomerType.ORG, "Gm", Limit.WEAK, CustomerField.MOBILE) {
        @Override
        String value(MatchValues r) {
            return r.mobile();
        }
    },
    ORG_EMAIL(CustomerType.ORG, "Ge", Limit.WEAK, CustomerField.EMAIL) {
        @Override
        String value(MatchValues r) {
            return r.email();
        }
    };

    /** How many customers may share a key of the kind before it is no longer followed. */
    static final class Limit {
        /** Identifiers are always followed. */
        static final int UNLIMITED = Integer.MAX_VALUE;
        /** Contacts and name + birth date: a key shared by more customers than this is not followed. */
        static final int WEAK = 25;
        /** Name sound + district is only a hint (it never links by itself): followed while it is rare. */
        static final int HINT = 5;

        private Limit() {
        }
    }

    private final CustomerType type;
    private final String prefix;
    private final int limit;
    private final CustomerField searchedField;

    BlockingKey(CustomerType type, String prefix, int limit, CustomerField searchedField) {
        this.type = type;
        this.prefix = prefix;
        this.limit = limit;
        this.searchedField = searchedField;
    }

    /** The record's value for a key of this kind, or null when it has none. */
    abstract String value(MatchValues r);

    CustomerType type() {
        return type;
    }

    int limit() {
        return limit;
    }

    /** The text hashed for a value: the kind's prefix, a colon and the value. */
    String canonical(String value) {
        return prefix + ":" + value;
    }

    /** The kinds a value of the field, as {@code codes find} looks customers up by it, is stored under. */
    static List<BlockingKey> searchedBy(CustomerField field) {
        return java.util.Arrays.stream(values()).filter(key -> key.searchedField == field).toList();
    }
}
