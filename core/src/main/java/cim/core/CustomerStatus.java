package cim.core;

/**
 * Whether a customer holds a policy (insured) or not yet (potential); stored as the constant's name. A golden record
 * is insured when any of its records is.
 */
public enum CustomerStatus {
    INSURED, POTENTIAL;

    /** The status a stored value names: anything but INSURED is potential, as the importer defaults it. */
    public static CustomerStatus of(String stored) {
        return INSURED.name().equals(stored) ? INSURED : POTENTIAL;
    }
}
