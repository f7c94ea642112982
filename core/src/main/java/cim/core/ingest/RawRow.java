package cim.core.ingest;

import java.util.Map;

/**
 * One row as read, before normalisation: its line, its values by canonical field (unknown columns dropped), the
 * raw text for quarantine, and a structural problem when the row cannot be used at all (null when it can).
 */
record RawRow(long line, Map<String, String> values, String raw, String problem) {
    static RawRow broken(long line, String raw, String problem) {
        return new RawRow(line, Map.of(), raw, problem);
    }
}
