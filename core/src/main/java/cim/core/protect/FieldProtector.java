package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import org.jooq.DSLContext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encrypts and decrypts field values and computes their blind indexes. A sealed value is text that says what it
 * is: {@code cim1:} and the Base64 of Tink's ciphertext, whose first bytes name the key. The field name is bound
 * into the ciphertext as associated data, so a value copied into another field's column will not decrypt.
 */
public final class FieldProtector {
    /** The prefix of every sealed value. */
    public static final String SEALED_PREFIX = "cim1:";
    // 128 bits: no collisions in any real table, and half the index of a full HMAC-SHA256
    private static final int BLIND_INDEX_BYTES = 16;
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final Keyring keyring;

    public FieldProtector(Keyring keyring) {
        this.keyring = keyring;
    }

    public Keyring keyring() {
        return keyring;
    }

    /** The tier registry, each entry checked against its signature under this keyset (exit 77 if changed). */
    public TierRegistry registry(DSLContext dsl) {
        return TierRegistry.load(dsl, keyring.auditKey());
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(SEALED_PREFIX);
    }

    /** Encrypts a clear value under the primary key; a value already sealed is returned as it is. */
    public String seal(CustomerField field, String clear) {
        return seal(field.column(), clear);
    }

    public String seal(String context, String clear) {
        if (clear == null || isSealed(clear)) {
            return clear;
        }
        try {
            byte[] ciphertext = keyring.aead().encrypt(clear.getBytes(StandardCharsets.UTF_8), ad(context));
            return SEALED_PREFIX + BASE64.encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** A value as it is stored: sealed or clear as its tier says, with its blind index if the field has one. */
    public record Stored(String value, String blindIndex) { }

    /** How every writer stores a field's value: the registry's tier decides, never the caller. */
    public Stored store(TierRegistry registry, CustomerField field, String clear) {
        if (clear == null) {
            return new Stored(null, null);
        }
        String value = registry.tier(field).encrypted() ? seal(field, clear) : clear;
        return new Stored(value, field.searchable() ? blindIndex(field, clear) : null);
    }

    /**
     * As {@link #store}, for a value the caller has already normalised as {@link SearchKey} does (the importer
     * has), so that the normalisation is not done twice on the hot path.
     */
    public Stored storeNormalised(TierRegistry registry, CustomerField field, String normalised) {
        if (normalised == null) {
            return new Stored(null, null);
        }
        String value = registry.tier(field).encrypted() ? seal(field, normalised) : normalised;
        return new Stored(value, field.searchable() ? keyedIndex(field, normalised) : null);
    }

    /** The clear value of a stored one: sealed values are decrypted, clear ones returned as they are. */
    public String open(CustomerField field, String stored) {
        return open(field.column(), stored);
    }

    public String open(String context, String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        byte[] ciphertext;
        try {
            ciphertext = BASE64_DECODER.decode(stored.substring(SEALED_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new Unreadable("a " + context + " value is marked encrypted but is no ciphertext: it was altered",
                    "restore the value from a backup", e);
        }
        try {
            return new String(keyring.aead().decrypt(ciphertext, ad(context)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            long keyId = keyIdOf(stored);
            if (keyId < 0) {
                throw new Unreadable("a " + context + " value is marked encrypted but is too short to be ciphertext: "
                        + "it was altered", "restore the value from a backup", e);
            }
            if (!keyring.encryptionKeys().contains(keyId)) {
                // the keyset was checked against the database's keys when it was bound: a value under a key it
                // lacks was altered (or the keyset is an old copy)
                throw new Unreadable("a " + context + " value is encrypted with key " + keyId + ", which this keyset "
                        + "does not have: the value was altered, or the keyset is an old copy",
                        "use the database's current keyset (every copy must be replaced after 'cim keys rotate'), "
                        + "or restore the value from a backup", e);
            }
            if (!keyring.enabledEncryptionKeys().contains(keyId)) {
                throw new Unreadable("a " + context + " value is encrypted with key "
                        + keyId + ", which a rotation retired and disabled once every value had moved off it: the "
                        + "value was put back from before that rotation", "restore the value from a backup taken "
                        + "after the rotation, and find out who wrote it ('cim audit log', the database's logs)", e);
            }
            throw new Unreadable("a " + context + " value does not decrypt: it was altered "
                    + "or copied from another field", "restore the value from a backup", e);
        }
    }

    /**
     * One stored value that does not open although the keyset was bound to the database: altered, put back from
     * before a rotation, or under a key the keyset lacks. A reader of many values reports it with its row and goes
     * on; when none of them opens, the keyset is the wrong one after all (see the exporter).
     */
    public static final class Unreadable extends CimException {
        Unreadable(String message, String hint, Throwable cause) {
            super(Failure.NOT_PERMITTED, message, hint, cause);
        }
    }

    /** Re-encrypts a sealed value under the primary key when another key sealed it; clear values stay clear. */
    public String reseal(String context, String stored) {
        if (!isSealed(stored) || keyIdOf(stored) == keyring.primaryEncryptionKey()) {
            return stored;
        }
        return seal(context, open(context, stored));
    }

    /** The keyed blind index (HMAC-SHA256, hex) of a value's canonical form; equal values give equal indexes. */
    public String blindIndex(CustomerField field, String value) {
        if (value == null) {
            return null;
        }
        return keyedIndex(field, SearchKey.canonical(field, value));
    }

    private String keyedIndex(CustomerField field, String canonical) {
        return keyedHash(field.column(), canonical);
    }

    /**
     * A keyed hash (HMAC under the blind-index key, 128 bits, hex) of a value in a context: equal inputs give equal
     * hashes, and without the keyset nothing about the value can be learnt from it. Blind indexes are made with it.
     */
    public String keyedHash(String context, String canonical) {
        return HexFormat.of().formatHex(keyed(context, canonical, BLIND_INDEX_BYTES));
    }

    /**
     * The first 64 bits of {@link #keyedHash} as a number (the same bits: the hash's first 16 hex digits): keys that
     * are only looked up, never shown, such as the matcher's blocking keys.
     */
    public long keyedBits(String context, String canonical) {
        return ByteBuffer.wrap(keyed(context, canonical, Long.BYTES)).getLong();
    }

    private byte[] keyed(String context, String canonical, int bytes) {
        byte[] input = (context + '\u0000' + canonical).getBytes(StandardCharsets.UTF_8);
        try {
            return keyring.prf().computePrimary(input, bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keyed hash failed", e);
        }
    }

    /** The id of the key that sealed a value (Tink's ciphertext prefix: a version byte, then the key id). */
    public static long keyIdOf(String sealed) {
        byte[] ciphertext;
        try {
            ciphertext = BASE64_DECODER.decode(sealed.substring(SEALED_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return -1;
        }
        // Tink's prefix: a version byte, then the key id; an altered value may be shorter than that
        return ciphertext.length < 5 ? -1 : Integer.toUnsignedLong(ByteBuffer.wrap(ciphertext, 1, 4).getInt());
    }

    private static byte[] ad(String context) {
        return context.getBytes(StandardCharsets.UTF_8);
    }
}
