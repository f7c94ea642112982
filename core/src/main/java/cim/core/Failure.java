package cim.core;

/** What kind of failure a {@link CimException} reports; the command line maps each kind to one exit code. */
public enum Failure {
    /** A check ran and found a problem: a quality rule at fail level, a broken audit chain, too many rejects. */
    CHECK_FAILED,
    /** The user's arguments do not make sense (beyond what the option parser catches). */
    USAGE,
    /** An input file cannot be used: unreadable, wrong encoding, a required column missing. */
    INPUT,
    /** The database cannot be reached or refuses the login. */
    DATABASE_UNAVAILABLE,
    /** An output file cannot be created. */
    OUTPUT,
    /** Another run holds the lock. */
    LOCKED,
    /** Not permitted: unmasking without a reason, a wrong or missing key for protected data. */
    NOT_PERMITTED,
    /** A setting is missing or wrong. */
    CONFIGURATION,
    /** cim found its own work inconsistent (a bug, or an engine that misbehaved): nothing was written. */
    INTERNAL
}
