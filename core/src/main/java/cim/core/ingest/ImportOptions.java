package cim.core.ingest;

/**
 * How to import: the channel (null: every row names its own, in source_system), the mapping, the encoding and format
 * (null: by file), and the safety limits. Made with {@link #into} and the {@code with…} methods, each of which
 * returns a copy.
 */
public record ImportOptions(String source, HeaderMapping mapping, InputFile.Format format, String encoding,
                            boolean dryRun, boolean force, RejectLimit maxRejects) {
    /** The batch's channel when the rows name theirs: a name no channel can have (it holds a '/'). */
    public static final String ROWS_NAME_THEIRS = "(rows)/";

    /** Into a channel (null: the rows name theirs): the built-in mapping, no limit, format and encoding by file. */
    public static ImportOptions into(String source) {
        return new ImportOptions(source, HeaderMapping.builtIn(), null, null, false, false, RejectLimit.NONE);
    }

    public ImportOptions withMapping(HeaderMapping headers) {
        return new ImportOptions(source, headers, format, encoding, dryRun, force, maxRejects);
    }

    /** The file's format and encoding (null: by file). */
    public ImportOptions withFormat(InputFile.Format fileFormat, String charset) {
        return new ImportOptions(source, mapping, fileFormat, charset, dryRun, force, maxRejects);
    }

    /** A dry run (or not): everything checked, nothing stored. */
    public ImportOptions withDryRun(boolean dry) {
        return new ImportOptions(source, mapping, format, encoding, dry, force, maxRejects);
    }

    /** Loads a file again that was loaded before (or not). */
    public ImportOptions withForce(boolean again) {
        return new ImportOptions(source, mapping, format, encoding, dryRun, again, maxRejects);
    }

    public ImportOptions withMaxRejects(RejectLimit limit) {
        return new ImportOptions(source, mapping, format, encoding, dryRun, force, limit);
    }

    /** The channel a batch is recorded and first locked under. */
    public String batchChannel() {
        return source == null ? ROWS_NAME_THEIRS : source;
    }
}
