package cim.core.io;

import cim.core.CimException;
import cim.core.Failure;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An output file that appears whole or not at all: written to a hidden temporary file beside the target and
 * renamed into place by {@link #commit()}; closed without commit, the temporary file is removed. Any failure to
 * create or write it is exit 73 naming the file. The SHA-256 of what was written is kept, for the audit trail.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final MessageDigest digest;
    private final Writer writer;
    private boolean committed;

    private AtomicFile(Path target, Path temporary, MessageDigest digest, Writer writer) {
        this.target = target;
        this.temporary = temporary;
        this.digest = digest;
        this.writer = writer;
    }

    public static AtomicFile create(Path target) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (Files.isDirectory(target)) {
                throw new IOException("it is a directory");
            }
            sweep(dir, target.getFileName().toString());
            // named with this process's id, so that a later run can tell one a killed run left (it may hold clear
            // rows of an unmasked export) from one another run is writing
            Path temporary = Files.createTempFile(dir, "." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + ".", ".tmp");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), digest);
            return new AtomicFile(target, temporary, digest,
                    new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A temporary file untouched this long, of a process not running here, was left by a killed run. */
    private static final java.time.Duration STALE = java.time.Duration.ofMinutes(10);

    /**
     * Removes the temporary files of {@code name} that runs killed before they could commit or clean up left behind:
     * named exactly {@code .NAME.PID.RANDOM.tmp} (not those of another target whose name begins like this one's), of
     * a process that no longer runs here, and not written to for {@link #STALE} (a run on another host writing to a
     * shared directory has a process id unknown here, but keeps its file fresh). Best effort.
     */
    static void sweep(Path dir, String name) {
        String prefix = "." + name + ".";
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile("(\\d{1,18})\\.\\d+\\.tmp");
        long staleBefore = System.currentTimeMillis() - STALE.toMillis();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                String file = p.getFileName().toString();
                if (!file.startsWith(prefix)) {
                    return false;
                }
                java.util.regex.Matcher rest = ours.matcher(file.substring(prefix.length()));
                if (!rest.matches()) {
                    return false;
                }
                long pid = Long.parseLong(rest.group(1));
                try {
                    return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)
                            && Files.getLastModifiedTime(p).toMillis() < staleBefore;
                } catch (IOException e) {
                    return false;
                }
            }).forEach(stale -> {
                try {
                    Files.deleteIfExists(stale);
                } catch (IOException e) {
                    // left for the next run
                }
            });
        } catch (IOException | NumberFormatException e) {
            // nothing swept: the new file is written all the same
        }
    }

    /**
     * The file will be readable by every user (0644), as a metrics file must be for the exporter that reads it;
     * otherwise it is its owner's alone, as the temporary file is made. Only for content that is no secret.
     */
    public AtomicFile readableByOthers() {
        try {
            // not through a symbolic link another user of the directory may have put in the file's place
            java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(temporary,
                    java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return this;
            }
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stand
        } catch (IOException e) {
            close();
            throw cannotWrite(target, e);
        }
        return this;
    }

    public void write(String text) {
        try {
            writer.write(text);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** Flushes, and renames the complete file into place. */
    public void commit() {
        finish();
        publish();
    }

    /**
     * Flushes and closes the complete content, still under its temporary name: its SHA-256 is known, and nothing
     * shows at the target until {@link #publish()} (so that the audit event of a reveal can commit first).
     */
    public void finish() {
        try {
            writer.close();
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** Renames the finished file into place. */
    public void publish() {
        try {
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** The SHA-256 of the content, once committed. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    public Path target() {
        return target;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                writer.close();
            } catch (IOException e) {
                // the content is being discarded anyway
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // a hidden temporary file left behind must not hide the real outcome
            }
        }
    }

    private static CimException cannotWrite(Path target, IOException e) {
        return new CimException(Failure.OUTPUT, "cannot write " + target + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                "check that the directory exists and is writable and that the disk has space", e);
    }
}
