package cim.core.protect;

import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static cim.core.db.schema.Tables.KEY_REGISTRY;
import static cim.core.db.schema.Tables.KEY_ROTATION;

/**
 * The keys the database knows and what a keyset holds of them: for {@code keys status}, which works without a keyset
 * too (it then shows what the database knows).
 */
public record KeysStatus(List<Key> keys, boolean rotationRunning, String rotationPurpose, long unboundValues) {
    /**
     * A registered key: its purpose, id, status in the registry (primary, enabled, retired), whether the keyset holds
     * it and, for an encryption key, whether the keyset holds it disabled (a finished rotation), and since when.
     */
    public record Key(String purpose, long id, String status, boolean inKeyset, boolean disabledInKeyset,
                      Instant since) { }

    /** The registry as it is, against {@code keyring} (null: no keyset). */
    public static KeysStatus of(DSLContext dsl, Keyring keyring) {
        List<Key> keys = new ArrayList<>();
        for (Record r : KeyBinding.registered(dsl)) {
            String purpose = r.get(KEY_REGISTRY.PURPOSE);
            long id = r.get(KEY_REGISTRY.KEY_ID);
            boolean blindIndex = KeyBinding.BLIND_INDEX.equals(purpose);
            boolean inKeyset = keyring != null && (blindIndex ? keyring.blindIndexKeys().contains(id)
                    : keyring.encryptionKeys().contains(id));
            boolean disabled = inKeyset && !blindIndex && !keyring.enabledEncryptionKeys().contains(id);
            keys.add(new Key(purpose, id, r.get(KEY_REGISTRY.STATUS), inKeyset, disabled,
                    r.get(KEY_REGISTRY.CREATED_AT).toInstant()));
        }
        Record running = dsl.select().from(KEY_ROTATION).where(KEY_ROTATION.STATE.eq("running")).fetchAny();
        return new KeysStatus(keys, running != null, running == null ? null : running.get(KEY_ROTATION.PURPOSE),
                KeyRotation.unboundValues(dsl));
    }

    /** Whether the unfinished rotation is of the blind-index key (else of the encryption key). */
    public boolean blindIndexRotation() {
        return KeyBinding.BLIND_INDEX.equals(rotationPurpose);
    }
}
