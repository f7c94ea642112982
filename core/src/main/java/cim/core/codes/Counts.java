package cim.core.codes;

/**
 * What a run of {@code codes assign} did to records, chunk by chunk and in total: examined, linked to an existing
 * customer, given a new code, customers merged, pairs sent for review, re-delivered records refreshed, and records
 * the admission rules refused (refused ones count as examined).
 */
public record Counts(long examined, long linked, long newCodes, long merged, long review, long refreshed,
                     long refused) {
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

    public Counts plus(Counts other) {
        return new Counts(examined + other.examined, linked + other.linked, newCodes + other.newCodes,
                merged + other.merged, review + other.review, refreshed + other.refreshed, refused + other.refused);
    }

    static Counts refreshed(long records) {
        return new Counts(0, 0, 0, 0, 0, records, 0);
    }

    static Counts refused(long records) {
        return new Counts(records, 0, 0, 0, 0, 0, records);
    }
}
