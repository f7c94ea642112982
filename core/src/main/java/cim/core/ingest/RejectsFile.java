package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * --rejects F: every quarantined row as CSV (file, line, reason, the row with tier-1 values masked), written to a
 * temporary file beside F and renamed into place at the end, so a failed run never leaves half a file.
 */
public final class RejectsFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final BufferedWriter out;

    private RejectsFile(Path target, Path temporary, BufferedWriter out) {
        this.target = target;
        this.temporary = temporary;
        this.out = out;
    }

    public static RejectsFile create(Path target) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Path temporary = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
            BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
            out.write("file,line,reason,row\r\n");
            return new RejectsFile(target, temporary, out);
        } catch (IOException e) {
            throw new CimException(Failure.OUTPUT, "cannot create the rejects file " + target + ": " + e.getMessage(),
                    "check that its directory exists and is writable");
        }
    }

    synchronized void write(String file, long line, String reason, String maskedRow) {
        try {
            out.write(cell(file) + "," + line + "," + cell(reason) + "," + cell(maskedRow) + "\r\n");
        } catch (IOException e) {
            throw new CimException(Failure.OUTPUT, "cannot write the rejects file: " + e.getMessage(),
                    "check the disk space");
        }
    }

    /** Spreadsheet-safe CSV cell: quoted, and a leading =, +, - or @ neutralised so it is never run as a formula. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** Puts the complete file in place. */
    public void commit() {
        try {
            out.close();
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CimException(Failure.OUTPUT, "cannot write the rejects file " + target + ": " + e.getMessage(),
                    "check the disk space and permissions");
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // the temporary file is ours and hidden; failing to remove it must not hide the real outcome
        }
    }
}
