package cim.core.io;

import cim.core.CimException;
import cim.core.Failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold secrets (keysets, password files) and the places cim keeps its own (the embedded home): readable
 * by their owner alone. A secret that group or others can read is refused rather than used, so that a careless
 * {@code cp} or umask shows at once instead of after a leak.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Refuses (exit 77) a secret file that anyone but its owner can read or write.
     *
     * @param setting the option that named it, for the message (--keyset, --db-password-file)
     */
    public static void requireOwnerOnly(Path file, String setting) {
        Set<PosixFilePermission> permissions = permissions(file);
        if (permissions == null) {
            return;
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(OTHERS);
        open.retainAll(permissions);
        if (!open.isEmpty()) {
            throw new CimException(Failure.NOT_PERMITTED, setting + ": " + file + " can be read or written by "
                    + "others than its owner (mode " + PosixFilePermissions.toString(permissions) + ")",
                    "run 'chmod 600 " + file + "', and check who may have copied it meanwhile");
        }
    }

    /** Makes a directory of cim's own private (0700), creating it when missing. */
    public static void ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        restrict(dir, "rwx------");
    }

    /** Makes a file cim created readable by its owner only (0600); nothing when it does not exist. */
    public static void ownerOnlyFile(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            restrict(file, "rw-------");
        }
    }

    private static void restrict(Path path, String mode) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> wanted = PosixFilePermissions.fromString(mode);
            if (!wanted.equals(Files.getPosixFilePermissions(path))) {
                Files.setPosixFilePermissions(path, wanted);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            return null; // reading the file reports what is wrong with it
        }
    }
}
