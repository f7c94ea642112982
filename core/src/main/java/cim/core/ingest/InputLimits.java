package cim.core.ingest;

/**
 * How long a row and a value of an input file may be. A longer one is quarantined with the reason, never read
 * whole: a 60 MB line, or an unclosed quote that swallows the rest of a file, must not run the import out of memory,
 * and a row's sealed copy must fit the quarantine table on both backends (H2 holds a million characters a value).
 */
public final class InputLimits {
    /** Characters in one CSV record (across its lines, when quoted fields span them) or one JSON line. */
    public static final int RECORD_CHARS = 131_072;
    /** Characters in one value. */
    public static final int FIELD_CHARS = 16_384;

    private InputLimits() {
    }
}
