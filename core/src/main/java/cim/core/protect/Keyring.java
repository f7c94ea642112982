package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.json.Json;
import cim.core.audit.AuditKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys that protect tier-1 values: a Tink AEAD keyset (AES-256-GCM) that encrypts them, and a Tink PRF keyset
 * (HMAC-SHA256) that computes their blind indexes. Rotation adds a new primary encryption key and keeps the old
 * ones so that existing values stay readable. The blind-index key rotates apart ({@link #withNewBlindIndexKey}):
 * every index and match key is then computed again from the values, and the old key is dropped.
 * A third PRF keyset keys the audit chain (keysets made before it had one derive the audit key from the blind-index
 * key instead, so every copy of such a keyset still agrees; a blind-index rotation keeps that key as the audit
 * keyset, marked derived); it never rotates, or old links would stop verifying.
 */
public final class Keyring {
    static final String FORMAT = "cim-keyset-1";
    /** What the audit key is derived under, from the keyset's audit PRF (or the blind-index PRF of older keysets). */
    private static final byte[] AUDIT_KEY_LABEL = "cim audit chain key v1".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            AeadConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot register Tink primitives", e);
        }
    }

    /**
     * Loads and registers Tink's primitives on a thread of its own (a third of a second on a slow machine), so
     * that a command connects to its database meanwhile; the first use of a keyring waits for what is under way.
     * A class of its own: a static method of Keyring would run Keyring's initializer, the registration itself, on
     * the calling thread before the new thread started.
     */
    public static final class Preparation {
        private Preparation() {
        }

        public static void startInBackground() {
            Thread thread = new Thread(() -> {
                try {
                    // a keyring made and dropped loads what reading the real one will use
                    generate().toJson();
                } catch (RuntimeException | LinkageError e) {
                    // the first use of a keyring reports it
                }
            }, "cim-keyring-init");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private final KeysetHandle encryption;
    private final KeysetHandle blindIndex;
    private final KeysetHandle audit;
    /** The audit keyset is a former blind-index key, from which older keysets derived the audit key. */
    private final boolean auditDerived;
    private final Aead aead;
    private final PrfSet prf;
    private final AuditKey auditKey;

    /**
     * @param audit        the audit chain's key; null in keysets made before it had one (it derives from the blind
     *                     index)
     * @param auditDerived {@code audit} is the blind-index key such a keyset had before a blind-index rotation
     */
    private Keyring(KeysetHandle encryption, KeysetHandle blindIndex, KeysetHandle audit, boolean auditDerived)
            throws GeneralSecurityException {
        this.encryption = encryption;
        this.blindIndex = blindIndex;
        this.audit = audit;
        this.auditDerived = audit == null || auditDerived;
        this.aead = encryption.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.prf = blindIndex.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        PrfSet auditPrf = audit == null ? prf : audit.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        byte[] auditBytes = auditPrf.computePrimary(AUDIT_KEY_LABEL, AuditKey.LENGTH);
        this.auditKey = this.auditDerived ? AuditKey.derived(auditBytes) : AuditKey.of(auditBytes);
    }

    public static Keyring generate() {
        try {
            return new Keyring(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                    KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF),
                    KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF), false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate keys", e);
        }
    }

    /** A new keyring with a fresh primary encryption key; every old key stays, enabled, to read old values. */
    public Keyring rotated() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(encryption);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId().makePrimary());
            return new Keyring(builder.build(), blindIndex, audit, auditDerived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot add a key", e);
        }
    }

    /**
     * A new keyring with a fresh primary blind-index key; the old one stays until the rotation has computed every
     * index again ({@link #withOnlyPrimaryBlindIndexKey}). A keyset that derived its audit key from the blind-index
     * key keeps that key as its audit keyset, so the chain still verifies.
     */
    public Keyring withNewBlindIndexKey() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(blindIndex);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedPrfParameters.HMAC_SHA256_PRF)
                    .withRandomId().makePrimary());
            return audit == null ? new Keyring(encryption, builder.build(), blindIndex, true)
                    : new Keyring(encryption, builder.build(), audit, auditDerived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot add a blind-index key", e);
        }
    }

    /** This keyring computing blind indexes with another of its blind-index keys: the old one, during a rotation. */
    public Keyring withBlindIndexPrimary(long keyId) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(blindIndex);
            for (int i = 0; i < builder.size(); i++) {
                if (Integer.toUnsignedLong(blindIndex.getAt(i).getId()) == keyId) {
                    builder.getAt(i).makePrimary();
                }
            }
            return new Keyring(encryption, builder.build(), audit, auditDerived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot select blind-index key " + keyId, e);
        }
    }

    /** This keyring without its old blind-index keys: for a blind-index rotation that has re-keyed everything. */
    public Keyring withOnlyPrimaryBlindIndexKey() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(blindIndex);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            return new Keyring(encryption, builder.build(), audit, auditDerived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot drop the old blind-index keys", e);
        }
    }

    /**
     * This keyring with every encryption key but the primary disabled: Tink no longer opens what they sealed (a value
     * from before a rotation put back into a row, or a copy from an old backup), though their ids stay known. For a
     * rotation that has moved every value to the primary key.
     */
    public Keyring withRetiredDisabled() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(encryption);
            for (int i = 0; i < builder.size(); i++) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.getAt(i).setStatus(KeyStatus.DISABLED);
                }
            }
            return new Keyring(builder.build(), blindIndex, audit, auditDerived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot disable the retired keys", e);
        }
    }

    /** The keyset file's content: both keysets in Tink's JSON format, in clear (the file must be private). */
    public String toJson() {
        try {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("format", FORMAT);
            node.set("encryption", Json.MAPPER.readTree(
                    TinkJsonProtoKeysetFormat.serializeKeyset(encryption, InsecureSecretKeyAccess.get())));
            node.set("blind_index", Json.MAPPER.readTree(
                    TinkJsonProtoKeysetFormat.serializeKeyset(blindIndex, InsecureSecretKeyAccess.get())));
            if (audit != null) {
                node.set("audit", Json.MAPPER.readTree(
                        TinkJsonProtoKeysetFormat.serializeKeyset(audit, InsecureSecretKeyAccess.get())));
                if (auditDerived) {
                    node.put("audit_derived", true);
                }
            }
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialise the keyset", e);
        }
    }

    /** Reads a keyset file's content; {@code source} names the file in the error. */
    public static Keyring fromJson(String json, String source) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (!FORMAT.equals(node.path("format").asString(null))) {
                throw notAKeyset(source, "it has no \"format\": \"" + FORMAT + "\"");
            }
            return new Keyring(
                    TinkJsonProtoKeysetFormat.parseKeyset(node.get("encryption").toString(), InsecureSecretKeyAccess.get()),
                    TinkJsonProtoKeysetFormat.parseKeyset(node.get("blind_index").toString(), InsecureSecretKeyAccess.get()),
                    node.has("audit")
                            ? TinkJsonProtoKeysetFormat.parseKeyset(node.get("audit").toString(),
                                    InsecureSecretKeyAccess.get())
                            : null,
                    node.path("audit_derived").asBoolean(false));
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof CimException cim) {
                throw cim;
            }
            throw notAKeyset(source, e.getClass().getSimpleName());
        }
    }

    private static CimException notAKeyset(String source, String why) {
        return new CimException(Failure.CONFIGURATION, "--keyset: " + source + " is not a cim keyset (" + why + ")",
                "point --keyset (CIM_KEYSET) at a file made by 'cim keys init'");
    }

    Aead aead() {
        return aead;
    }

    PrfSet prf() {
        return prf;
    }

    public long primaryEncryptionKey() {
        return Integer.toUnsignedLong(encryption.getPrimary().getId());
    }

    public List<Long> encryptionKeys() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < encryption.size(); i++) {
            ids.add(Integer.toUnsignedLong(encryption.getAt(i).getId()));
        }
        return ids;
    }

    /** The encryption keys that still open values: the primary, and old keys not yet disabled by a rotation. */
    public List<Long> enabledEncryptionKeys() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < encryption.size(); i++) {
            if (encryption.getAt(i).getStatus() == KeyStatus.ENABLED) {
                ids.add(Integer.toUnsignedLong(encryption.getAt(i).getId()));
            }
        }
        return ids;
    }

    /** The key of the audit chain's links; the database never holds it. */
    public AuditKey auditKey() {
        return auditKey;
    }

    public long blindIndexKey() {
        return Integer.toUnsignedLong(blindIndex.getPrimary().getId());
    }

    /** Every blind-index key: the primary, and during a blind-index rotation the one it replaces. */
    public List<Long> blindIndexKeys() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < blindIndex.size(); i++) {
            ids.add(Integer.toUnsignedLong(blindIndex.getAt(i).getId()));
        }
        return ids;
    }
}
