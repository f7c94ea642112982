package cim.core.codes;

import cim.core.CustomerType;

/**
 * The matcher's deterministic rules, tried before any score: the same valid identifier is the same customer, and
 * different valid ones are a conflict the matcher never links (a steward may). Tried in this order; the first
 * identifier both records hold valid decides.
 */
public enum IdentifierRule {
    ID_NUMBER(CustomerType.PERSON, "id_number", "same valid number", "different valid numbers") {
        @Override
        Identifier of(MatchValues values) {
            return values.idNumber();
        }
    },
    USCC(CustomerType.ORG, "uscc", "same valid credit code", "different valid credit codes") {
        @Override
        Identifier of(MatchValues values) {
            return values.uscc();
        }
    },
    ORG_CODE(CustomerType.ORG, "org_code", "same valid organisation code", "different valid organisation codes") {
        @Override
        Identifier of(MatchValues values) {
            return values.orgCode();
        }
    };

    private final CustomerType type;
    private final String field;
    private final String same;
    private final String different;

    IdentifierRule(CustomerType type, String field, String same, String different) {
        this.type = type;
        this.field = field;
        this.same = same;
        this.different = different;
    }

    abstract Identifier of(MatchValues values);

    public CustomerType type() {
        return type;
    }

    /** The rule's name in a link and the key of its finding in the explanation. */
    public String field() {
        return field;
    }

    String same() {
        return same;
    }

    String different() {
        return different + ": never linked by the matcher";
    }
}
