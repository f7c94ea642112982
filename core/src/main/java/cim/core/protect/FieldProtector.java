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
 * is: {@code cim2:} and the Base64 of Tink's ciphertext, whose first bytes name the key. The associated data binds
 * the value to its place: the field, and the source record it was collected in ({@link #row}), so that a value
 * copied into another field's column or another record's row does not open. A golden record's value is its
 * supplier's, copied as sealed; its provenance names the record, so merges re-encrypt nothing.
 *
 * <p>{@code cim1:} is the format before values were bound to rows (field only): still read, and re-sealed as
 * {@code cim2:} by {@code cim keys rotate}, after which the keys it was under are disabled and it no longer opens.
 * Input is data: a clear value that would read as marked ({@code cim}, a character, {@code :}) is stored behind
 * {@value #ESCAPE_PREFIX}, which every reader takes off.
 */
public final class FieldProtector {
    /** The prefix of every value sealed now: bound to its field and row. */
    public static final String SEALED_PREFIX = "cim2:";
    /** The prefix of values sealed before rows were bound (field only); read until {@code keys rotate}. */
    public static final String LEGACY_PREFIX = "cim1:";
    /** The prefix of a clear value that begins like a marked one, kept as data. */
    public static final String ESCAPE_PREFIX = "cim0:";
    /** Every prefix of a sealed value, for queries on text alone. */
    public static final java.util.List<String> SEALED_PREFIXES = java.util.List.of(SEALED_PREFIX, LEGACY_PREFIX);
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

    /**
     * The identity a value is bound to: the source record it was collected in, as golden records' provenance
     * names it (channel/key; a channel holds no '/', so the pair is unambiguous). Versions of a record share it, so
     * a new version may keep an old one's values.
     */
    public static String row(String sourceSystem, String sourceKey) {
        return sourceSystem + "/" + sourceKey;
    }

    /**
     * In a golden record's provenance, the supplier of a value a steward set ({@code cim codes correct}): such a value
     * is sealed to the customer itself ({@link #customerRow}). No record is named so: a record is channel/key.
     */
    public static final String STEWARD = "steward";

    /** The identity of a golden value whose record names no supplier (no provenance for it): the customer itself. */
    public static String customerRow(String code) {
        return "customer " + code;
    }

    /** The tier registry, each entry checked against its signature under this keyset (exit 77 if changed). */
    public TierRegistry registry(DSLContext dsl) {
        return TierRegistry.load(dsl, keyring.auditKey());
    }

    /**
     * The rows a golden record's values are bound to: by field, the source record that supplied it, as the stored
     * provenance names it ({@code channel/key#batch} by field, or under {@code *} for every field not named); for a
     * field it names none for, or a list it combined from several records, the customer itself ({@link
     * #customerRow}). A provenance that is no JSON object (altered) names none. The provenance is read once.
     */
    public static java.util.function.Function<CustomerField, String> goldenRows(String provenance, String code) {
        java.util.Map<String, Object> read;
        try {
            read = provenance == null ? java.util.Map.of() : cim.core.json.Json.readMap(provenance);
        } catch (RuntimeException e) {
            read = java.util.Map.of();
        }
        java.util.Map<String, Object> named = read;
        Object other = read.get("*");
        return field -> {
            Object source = named.getOrDefault(field.column(), other);
            if (source == null || source instanceof java.util.List<?> || STEWARD.equals(source)) {
                // a list combined from several records (per item, the records behind it), and a steward's value,
                // are the customer's own
                return customerRow(code);
            }
            String reference = source.toString();
            int batch = reference.lastIndexOf('#');
            return batch < 0 ? reference : reference.substring(0, batch);
        };
    }

    /**
     * As {@link #goldenRows(String, String)}, for a reader that shows values: a supplier the provenance names must be
     * one of the customer's current records ({@code linked}, as {@link #row} gives them), or the value opens against
     * no record. A role that may update customers then cannot show one customer's values under another's code by
     * copying them and rewriting the provenance (the reveal would be audited under the wrong customer).
     */
    public static java.util.function.Function<CustomerField, String> goldenRows(String provenance, String code,
                                                                               java.util.Collection<String> linked) {
        java.util.function.Function<CustomerField, String> rows = goldenRows(provenance, code);
        String own = customerRow(code);
        return field -> {
            String row = rows.apply(field);
            return row.equals(own) || linked.contains(row) ? row : null;
        };
    }

    /** Whether a stored value is sealed (now, or in the format before rows were bound). */
    public static boolean isSealed(String stored) {
        return stored != null && (stored.startsWith(SEALED_PREFIX) || stored.startsWith(LEGACY_PREFIX));
    }

    /** A condition on a column: its value is sealed (in either format). */
    public static org.jooq.Condition sealed(org.jooq.Field<String> column) {
        return column.like(SEALED_PREFIX + "%").or(column.like(LEGACY_PREFIX + "%"));
    }

    /** A condition on a column: it holds a value that is not sealed (clear, or clear behind the escape). */
    public static org.jooq.Condition clear(org.jooq.Field<String> column) {
        return column.isNotNull().and(column.notLike(SEALED_PREFIX + "%")).and(column.notLike(LEGACY_PREFIX + "%"));
    }

    /** How a clear value is stored: as it is, unless it begins like a marked value ({@code cimX:}). */
    static String escaped(String clear) {
        return clear != null && clear.length() >= 5 && clear.charAt(4) == ':' && clear.startsWith("cim")
                ? ESCAPE_PREFIX + clear : clear;
    }

    /** Encrypts a clear value of a record's field under the primary key, bound to both; any text is data. */
    public String seal(CustomerField field, String row, String clear) {
        return seal(field.column(), row, clear);
    }

    /** Encrypts a clear value under the primary key, bound to a context and a row; any text is data. */
    public String seal(String context, String row, String clear) {
        if (clear == null) {
            return null;
        }
        try {
            byte[] ciphertext = keyring.aead().encrypt(clear.getBytes(StandardCharsets.UTF_8), ad(context, row));
            return SEALED_PREFIX + BASE64.encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** A value as it is stored: sealed or clear as its tier says, with its blind index if the field has one. */
    public record Stored(String value, String blindIndex) { }

    /** How every writer stores a field's value of a record: the registry's tier decides, never the caller. */
    public Stored store(TierRegistry registry, CustomerField field, String row, String clear) {
        if (clear == null) {
            return new Stored(null, null);
        }
        return new Stored(protect(registry.tier(field), field, row, clear),
                field.searchable() ? blindIndex(field, clear) : null);
    }

    /**
     * As {@link #store}, for a value the caller has already normalised as {@link SearchKey} does (the importer
     * has), so that the normalisation is not done twice on the hot path.
     */
    public Stored storeNormalised(TierRegistry registry, CustomerField field, String row, String normalised) {
        if (normalised == null) {
            return new Stored(null, null);
        }
        return new Stored(protect(registry.tier(field), field, row, normalised),
                field.searchable() ? keyedIndex(field, normalised) : null);
    }

    private String protect(Tier tier, CustomerField field, String row, String clear) {
        return tier.encrypted() ? seal(field, row, clear) : escaped(clear);
    }

    /**
     * A stored value brought to a tier's protection: sealed (bound to the row) when the tier encrypts, clear when it
     * does not; a value already so is returned as it is.
     */
    public String reprotect(Tier tier, CustomerField field, String row, String stored) {
        if (stored == null || tier.encrypted() == isSealed(stored)) {
            return stored;
        }
        return protect(tier, field, row, open(field, row, stored));
    }

    /** The clear value of a stored one of a record's field: sealed values are decrypted, clear ones unescaped. */
    public String open(CustomerField field, String row, String stored) {
        return open(field.column(), row, stored);
    }

    public String open(String context, String row, String stored) {
        if (stored == null) {
            return null;
        }
        boolean legacy = stored.startsWith(LEGACY_PREFIX);
        if (!legacy && !stored.startsWith(SEALED_PREFIX)) {
            return stored.startsWith(ESCAPE_PREFIX) ? stored.substring(ESCAPE_PREFIX.length()) : stored;
        }
        byte[] ciphertext;
        try {
            ciphertext = BASE64_DECODER.decode(stored.substring(SEALED_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new Unreadable("a " + context + " value is marked encrypted but is no ciphertext: it was altered",
                    "restore the value from a backup", e);
        }
        if (!legacy && row == null) {
            throw new Unreadable("a " + context + " value names no record of its customer that it was collected in "
                    + "(its provenance was altered)", "rebuild the golden record from its records, or restore it from a "
                    + "backup", null);
        }
        try {
            byte[] ad = legacy ? ad(context) : ad(context, row);
            return new String(keyring.aead().decrypt(ciphertext, ad), StandardCharsets.UTF_8);
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
            throw new Unreadable("a " + context + " value does not decrypt: it was altered, or moved from another "
                    + "field or record", "restore the value from a backup", e);
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

    /**
     * Re-encrypts a sealed value under the primary key, bound to its row, when another key sealed it or it is in the
     * format before rows were bound; clear values stay as they are.
     */
    public String reseal(String context, String row, String stored) {
        if (!isSealed(stored)
                || stored.startsWith(SEALED_PREFIX) && keyIdOf(stored) == keyring.primaryEncryptionKey()) {
            return stored;
        }
        return seal(context, row, open(context, row, stored));
    }

    /** A stored value moved to another row: a sealed one opened and sealed to it again, a clear one as it is. */
    public String rebind(String context, String fromRow, String toRow, String stored) {
        return isSealed(stored) ? seal(context, toRow, open(context, fromRow, stored)) : stored;
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

    /** The field's name, a NUL, and the row: neither a field name nor a channel holds a NUL. */
    private static byte[] ad(String context, String row) {
        return (context + '\u0000' + java.util.Objects.requireNonNull(row, "a sealed value's row"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
