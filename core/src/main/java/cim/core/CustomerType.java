package cim.core;

/** A customer is a person or an organisation; stored as the constant's name in customer_type (absent: a person). */
public enum CustomerType {
    PERSON, ORG;

    /** The type a stored customer_type names: a missing one is a person, as the importer defaults it. */
    public static CustomerType of(String stored) {
        return "ORG".equals(stored) ? ORG : PERSON;
    }

    public boolean organisation() {
        return this == ORG;
    }
}
