package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.io.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A keyset file on disk: written atomically and readable by its owner only (mode 0600). */
public final class KeysetFile {
    private KeysetFile() {
    }

    public static Keyring read(Path file) {
        return read(file, null).keyring();
    }

    /** A keyset as read: its keys, and the wrap its file was made with (null: the file held it in clear). */
    public record Read(Keyring keyring, KeysetWrap wrap) {
        public boolean wrapped() {
            return wrap != null;
        }
    }

    /**
     * Reads a keyset file, plain or wrapped ({@link KeysetWrap}); a wrapped one needs {@code wrap} (null: none
     * known, and a wrapped file is refused, naming what it needs).
     */
    public static Read read(Path file, KeysetWrap wrap) {
        PrivateFiles.requireOwnerOnly(file, "--keyset");
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            if (KeysetWrap.isWrapped(content)) {
                if (wrap == null) {
                    throw new CimException(Failure.CONFIGURATION, "--keyset: " + file + " is the embedded database's "
                            + "wrapped keyset", "use it as the embedded database's keyset (in its cim home), or "
                            + "export it in clear for a central database with 'cim keys init'");
                }
                KeysetWrap used = wrap.matching(content);
                return new Read(Keyring.fromJson(used.unwrap(content, file), file.toString()), used);
            }
            return new Read(Keyring.fromJson(content, file.toString()), null);
        } catch (NoSuchFileException e) {
            throw new CimException(Failure.CONFIGURATION, "--keyset: " + file + " does not exist",
                    "make one with 'cim keys init --out " + file + "', or point --keyset (CIM_KEYSET) at yours");
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "--keyset: cannot read " + file + ": " + e.getMessage(),
                    "check the file's owner and mode (it should be 0600)");
        }
    }

    /** Writes a new file; refuses to overwrite one, so that a key that protects data is never lost. */
    public static void create(Path file, Keyring keyring) {
        create(file, keyring, null);
    }

    /** As {@link #create(Path, Keyring)}, wrapped under {@code wrap} (null: in clear). */
    public static void create(Path file, Keyring keyring, KeysetWrap wrap) {
        if (Files.exists(file)) {
            throw new CimException(Failure.OUTPUT, file + " already exists",
                    "keep it (it may protect data) and choose another --out");
        }
        write(file, keyring, wrap);
    }

    /** Replaces the file's content atomically: a crash leaves the old keyset or the new, never half of one. */
    public static void write(Path file, Keyring keyring) {
        write(file, keyring, null);
    }

    /** As {@link #write(Path, Keyring)}, wrapped under {@code wrap} (null: in clear). */
    public static void write(Path file, Keyring keyring, KeysetWrap wrap) {
        String content = wrap == null ? keyring.toJson() : wrap.wrap(keyring.toJson());
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".keyset-", ".tmp");
            try {
                PrivateFiles.ownerOnlyFile(tmp);
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CimException(Failure.OUTPUT, file + " already exists", "choose another file");
        } catch (IOException e) {
            throw new CimException(Failure.OUTPUT, "cannot write the keyset " + file + ": " + e.getMessage(),
                    "check that the directory exists and is writable");
        }
    }
}
