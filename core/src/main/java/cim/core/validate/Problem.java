package cim.core.validate;

/**
 * Why a value is invalid: the kind of fault and a sentence a data steward can act on. A problem never repeats any
 * tier-1 value, so it can go into quarantine reasons, reports and the audit trail.
 */
public record Problem(Kind kind, String message) {
    /** The kinds of fault, as quality reports group them. */
    public enum Kind { LENGTH, CHARACTERS, DATE, REGION, CHECKSUM, FORMAT }

    public static Problem of(Kind kind, String message) {
        return new Problem(kind, message);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
