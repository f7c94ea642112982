package cim.core.ingest;

import cim.core.io.AtomicFile;
import cim.core.io.Csv;

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
        file.write(Csv.cell(source) + "," + line + "," + Csv.cell(reason) + "," + Csv.cell(maskedRow) + "\r\n");
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
