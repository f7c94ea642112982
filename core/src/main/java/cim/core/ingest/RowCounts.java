package cim.core.ingest;

/** What an import did with a file's rows: read, accepted (stored) and rejected (quarantined). */
record RowCounts(long read, long accepted, long rejected) {
    static final RowCounts NONE = new RowCounts(0, 0, 0);

    RowCounts plus(RowCounts other) {
        return new RowCounts(read + other.read, accepted + other.accepted, rejected + other.rejected);
    }

    static RowCounts of(long accepted, long rejected) {
        return new RowCounts(accepted + rejected, accepted, rejected);
    }
}
