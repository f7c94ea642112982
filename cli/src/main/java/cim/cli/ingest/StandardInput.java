package cim.cli.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.ingest.InputFile;
import cim.core.io.PrivateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** `cim import -`: standard input kept in a private temporary file for the import, removed after it. */
final class StandardInput {
    private StandardInput() {
    }

    /**
     * Copies standard input to a file in a private (0700) temporary directory, named for its format: --format, else
     * JSON Lines when its first non-blank byte opens an object, else CSV.
     */
    static Path spool(InputFile.Format format) {
        try {
            Path dir = Files.createTempDirectory("cim-import-");
            PrivateFiles.ownerOnlyDirectory(dir);
            Path data = dir.resolve("stdin.data");
            int first = -1;
            // standard input is read to its end but not closed (the shell reads its next command from it)
            InputStream in = System.in;
            try (OutputStream out = Files.newOutputStream(data)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n && first < 0; i++) {
                        if (!Character.isWhitespace(buffer[i]) && buffer[i] != (byte) 0xEF && buffer[i] != (byte) 0xBB
                                && buffer[i] != (byte) 0xBF) {
                            first = buffer[i];
                        }
                    }
                    out.write(buffer, 0, n);
                }
            }
            boolean jsonl = format != null ? format == InputFile.Format.JSONL : first == '{';
            return Files.move(data, dir.resolve(jsonl ? "stdin.jsonl" : "stdin.csv"));
        } catch (IOException e) {
            throw new CimException(Failure.INPUT, "cannot read standard input: " + e.getMessage(),
                    "check what is piped in, or give a file");
        }
    }

    static void delete(Path spool) {
        try {
            Files.deleteIfExists(spool);
            Files.deleteIfExists(spool.getParent());
        } catch (IOException e) {
            // a private directory of the system's temporary files: the system cleans it
        }
    }
}
