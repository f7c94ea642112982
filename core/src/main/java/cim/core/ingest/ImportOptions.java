package cim.core.ingest;

import java.nio.file.Path;

/**
 * How to import: the channel (null: every row names its own, in source_system), the mapping, the encoding and format
 * (null: by file), and the safety limits.
 */
public record ImportOptions(String source, HeaderMapping mapping, InputFile.Format format, String encoding,
                            boolean dryRun, boolean force, RejectLimit maxRejects, Path rejectsFile) {
    /** The batch's channel when the rows name theirs: a name no channel can have (it holds a '/'). */
    public static final String ROWS_NAME_THEIRS = "(rows)/";

    /** The channel a batch is recorded and first locked under. */
    public String batchChannel() {
        return source == null ? ROWS_NAME_THEIRS : source;
    }
}
