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
        PrivateFiles.requireOwnerOnly(file, "--keyset");
        try {
            return Keyring.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
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
        if (Files.exists(file)) {
            throw new CimException(Failure.OUTPUT, file + " already exists",
                    "keep it (it may protect data) and choose another --out");
        }
        write(file, keyring);
    }

    /** Replaces the file's content atomically: a crash leaves the old keyset or the new, never half of one. */
    public static void write(Path file, Keyring keyring) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".keyset-", ".tmp");
            try {
                PrivateFiles.ownerOnlyFile(tmp);
                Files.writeString(tmp, keyring.toJson(), StandardCharsets.UTF_8);
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
