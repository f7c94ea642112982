package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.io.PrivateFiles;
import cim.core.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The protection of the embedded database's keyset of its own, so that a copy of {@code $CIM_HOME} alone reveals
 * no tier-1 value: the keyset file in the home is encrypted (AES-256-GCM) under a key kept outside it, either a random wrap
 * key in the user's config directory ({@code ${XDG_CONFIG_HOME:-~/.config}/cim/keyset-wrap.key}, 0600, made on
 * first use) or a passphrase from {@code CIM_KEYSET_PASSPHRASE} (PBKDF2-HMAC-SHA256, salted). Someone who copies
 * both the home and the config directory, or knows the passphrase, has the keys: it raises the bar from one copy
 * to two, or to a secret that is in no file.
 */
public final class KeysetWrap {
    static final String FORMAT = "cim-keyset-wrapped-1";
    private static final String BY_KEY_FILE = "key-file";
    private static final String BY_PASSPHRASE = "passphrase";
    private static final int ITERATIONS = 310_000;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keyFile;
    private final String passphrase;

    private KeysetWrap(Path keyFile, String passphrase) {
        this.keyFile = keyFile;
        this.passphrase = passphrase;
    }

    /**
     * The wrap of the embedded keyset: the passphrase when one is given (non-blank), the wrap key file in
     * {@code configDir} otherwise.
     */
    public static KeysetWrap of(Path configDir, String passphrase) {
        return new KeysetWrap(configDir.resolve("keyset-wrap.key"),
                passphrase == null || passphrase.isBlank() ? null : passphrase);
    }

    /** Whether a keyset file's content is wrapped (read as JSON; anything else is left to the plain reader). */
    static boolean isWrapped(String content) {
        try {
            return FORMAT.equals(Json.MAPPER.readTree(content).path("format").asString(null));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** What the file holds to be read: the wrap's keys, or a hint naming what is missing. */
    String unwrap(String content, Path file) {
        JsonNode node = Json.MAPPER.readTree(content);
        String by = node.path("wrapped_by").asString("");
        byte[] key;
        if (BY_PASSPHRASE.equals(by)) {
            if (passphrase == null) {
                throw new CimException(Failure.NOT_PERMITTED, "the keyset " + file + " is protected by a passphrase",
                        "set CIM_KEYSET_PASSPHRASE to it (from a secret store, not a script)");
            }
            key = derive(passphrase, Base64.getDecoder().decode(node.path("salt").asString("")),
                    node.path("iterations").asInt(ITERATIONS));
        } else if (BY_KEY_FILE.equals(by)) {
            key = readKey(file);
            String id = node.path("key_id").asString("");
            if (!id.equals(keyId(key))) {
                throw new CimException(Failure.NOT_PERMITTED, "the keyset " + file + " is wrapped under another wrap "
                        + "key than " + keyFile + " (key " + id + ")", "restore that wrap key file from its backup "
                        + "(the keyset cannot be read without it)");
            }
        } else {
            throw new CimException(Failure.CONFIGURATION, "--keyset: " + file + " is not a cim keyset (unknown "
                    + "wrapping)", "restore it from its backup");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(node.path("nonce").asString(""))));
            cipher.updateAAD(FORMAT.getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(Base64.getDecoder().decode(node.path("ciphertext").asString(""))),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CimException(Failure.NOT_PERMITTED, "the keyset " + file + " does not open with "
                    + (BY_PASSPHRASE.equals(by) ? "the passphrase in CIM_KEYSET_PASSPHRASE" : "the wrap key " + keyFile),
                    BY_PASSPHRASE.equals(by) ? "check the passphrase" : "restore the wrap key or the keyset from "
                            + "their backups");
        }
    }

    /** The keyset's JSON, wrapped: under the passphrase, or the wrap key file (made now if there is none). */
    String wrap(String json) {
        byte[] salt = null;
        byte[] key;
        if (passphrase != null) {
            salt = new byte[16];
            RANDOM.nextBytes(salt);
            key = derive(passphrase, salt, ITERATIONS);
        } else {
            key = readOrMakeKey();
        }
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(FORMAT.getBytes(StandardCharsets.US_ASCII));
            byte[] ciphertext = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("format", FORMAT);
            node.put("wrapped_by", passphrase != null ? BY_PASSPHRASE : BY_KEY_FILE);
            if (passphrase != null) {
                node.put("salt", Base64.getEncoder().encodeToString(salt));
                node.put("iterations", ITERATIONS);
            } else {
                node.put("key_id", keyId(key));
            }
            node.put("nonce", Base64.getEncoder().encodeToString(nonce));
            node.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap the keyset", e);
        }
    }

    /**
     * The wrap a wrapped file's content was made with: this one, or this one without its passphrase when the file
     * is wrapped under the key file (a passphrase set later is not used, and does not take over when the keyset is
     * saved again).
     */
    KeysetWrap matching(String content) {
        String by = Json.MAPPER.readTree(content).path("wrapped_by").asString("");
        return BY_KEY_FILE.equals(by) && passphrase != null ? new KeysetWrap(keyFile, null) : this;
    }

    /** Whether this wrap is the passphrase's. */
    public boolean byPassphrase() {
        return passphrase != null;
    }

    /** Where the wrap is, for messages: the wrap key file, or the passphrase's variable. */
    public String describe() {
        return passphrase != null ? "the passphrase in CIM_KEYSET_PASSPHRASE" : "the wrap key " + keyFile;
    }

    private static byte[] derive(String passphrase, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is not available", e);
        }
    }

    private byte[] readKey(Path keysetFile) {
        // keysetFile names the keyset in messages; null when the wrap key is read to wrap one
        if (!Files.exists(keyFile)) {
            throw new CimException(Failure.NOT_PERMITTED, (keysetFile == null ? "the wrap key " + keyFile
                    + " is not a file" : "the keyset " + keysetFile + " is wrapped under the wrap key " + keyFile
                    + ", which does not exist"), "restore the wrap key file from its backup (the keyset "
                    + "cannot be read without it), or point XDG_CONFIG_HOME at the directory that holds cim/ with it");
        }
        PrivateFiles.requireOwnerOnly(keyFile, "the keyset's wrap key");
        try {
            byte[] key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                throw new IllegalArgumentException("length");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new CimException(Failure.CONFIGURATION, "the wrap key " + keyFile + " cannot be read",
                    "restore it from its backup");
        }
    }

    private byte[] readOrMakeKey() {
        if (Files.exists(keyFile)) {
            return readKey(null);
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            PrivateFiles.ownerOnlyDirectory(dir);
            Path tmp = Files.createTempFile(dir, ".keyset-wrap-", ".tmp");
            try {
                PrivateFiles.ownerOnlyFile(tmp);
                Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                try {
                    // never replaces a wrap key another process made meanwhile: that one may wrap a keyset already
                    Files.createLink(keyFile, tmp);
                } catch (FileAlreadyExistsException e) {
                    return readKey(null);
                } catch (UnsupportedOperationException | IOException e) {
                    if (Files.exists(keyFile)) {
                        return readKey(null);
                    }
                    try {
                        Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException again) {
                        Files.move(tmp, keyFile);
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CimException(Failure.OUTPUT, "cannot write the keyset's wrap key " + keyFile + ": "
                    + e.getMessage(), "check that the directory is writable");
        }
        return key;
    }

    private static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
