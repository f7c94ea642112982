package cim.core;

/** A customer is a person or an organisation; stored as the constant's name in customer_type (absent: a person). */
public enum CustomerType {
    PERSON, ORG;

    /** The type a stored customer_type names: a missing one is a person, as the importer defaults it. */
    public static CustomerType of(String stored) {
        return ORG.name().equals(stored) ? ORG : PERSON;
    }

    /** The type a user named (PERSON or ORG, any case); null when the text names none. */
    public static CustomerType parse(String text) {
        String name = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
        return java.util.Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    public boolean organisation() {
        return this == ORG;
    }
}
