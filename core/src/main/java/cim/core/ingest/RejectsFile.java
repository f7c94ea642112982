package cim.core.ingest;

import cim.core.io.AtomicFile;

import java.nio.file.Path;

/**
 * --rejects F: every quarantined row as CSV (file, line, reason, the row with tier-1 values masked), appearing
 * whole or not at all ({@link AtomicFile}).
 */
public final class RejectsFile implements AutoCloseable {
    private final AtomicFile file;

    private RejectsFile(AtomicFile file) {
        this.file = file;
    }

    public static RejectsFile create(Path target) {
        AtomicFile file = AtomicFile.create(target);
        file.write("file,line,reason,row\r\n");
        return new RejectsFile(file);
    }

    synchronized void write(String source, long line, String reason, String maskedRow) {
        file.write(cell(source) + "," + line + "," + cell(reason) + "," + cell(maskedRow) + "\r\n");
    }

    /** Spreadsheet-safe CSV cell: quoted, and a leading =, +, - or @ neutralised so it is never run as a formula. */
    public static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** Puts the complete file in place. */
    public void commit() {
        file.commit();
    }

    @Override
    public void close() {
        file.close();
    }
}
