package cim.core.ingest;

/**
 * What importing one file did. {@code batch} is null for a dry run or a skipped file. {@code repeated}: accepted
 * rows whose channel and source key an earlier line of the same file had (each stored as that record's next
 * version); counted when the file is stored, else 0.
 */
public record ImportResult(String file, Long batch, long read, long accepted, long rejected, boolean skipped,
                          boolean dryRun, double seconds, long repeated) {
    ImportResult(String file, Long batch, long read, long accepted, long rejected, boolean skipped, boolean dryRun,
                 double seconds) {
        this(file, batch, read, accepted, rejected, skipped, dryRun, seconds, 0);
    }
}
