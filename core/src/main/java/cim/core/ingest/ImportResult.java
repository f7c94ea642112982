package cim.core.ingest;

/** What importing one file did. {@code batch} is null for a dry run or a skipped file. */
public record ImportResult(String file, Long batch, long read, long accepted, long rejected, boolean skipped,
                          boolean dryRun, double seconds) {
}
