package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.KEY_REGISTRY;

/**
 * Binds a keyset to a database: the database records the ids of the keys that protect it, so that the wrong
 * keyset, or a stale copy from before a rotation, is refused with a clear error instead of producing garbage.
 */
public final class KeyBinding {
    static final String ENCRYPTION = "encryption";
    static final String BLIND_INDEX = "blind_index";
    static final String PRIMARY = "primary";
    static final String ENABLED = "enabled";
    static final String RETIRED = "retired";

    private KeyBinding() {
    }

    /**
     * Checks the keyset against the database, registering its keys on first use. A keyset the database knows whole is
     * only read (a role that may read but not write key_registry can still use it); only a registration locks.
     */
    public static void bind(DSLContext dsl, Keyring keyring, String keysetName, AuditTrail audit) {
        List<Record> registeredNow = dsl.select().from(KEY_REGISTRY).fetch();
        if (!registeredNow.isEmpty()) {
            check(registeredNow, keyring, keysetName);
            boolean whole = keyring.encryptionKeys().stream().allMatch(id -> registeredNow.stream().anyMatch(
                    r -> ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE)) && id.equals(r.get(KEY_REGISTRY.KEY_ID))));
            if (whole) {
                return;
            }
        }
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            List<Record> registered = t.select().from(KEY_REGISTRY).forUpdate().fetch();
            if (registered.isEmpty()) {
                register(t, keyring);
                audit.append(t, AuditEntry.of("keys.register").object("keyset", keysetName)
                        .rows(keyring.encryptionKeys().size() + 1)
                        .detail(Map.of("encryption_primary", keyring.primaryEncryptionKey(),
                                "blind_index", keyring.blindIndexKey())));
                return;
            }
            check(registered, keyring, keysetName);
            for (long id : keyring.encryptionKeys()) {
                boolean known = registered.stream().anyMatch(r -> ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE))
                        && r.get(KEY_REGISTRY.KEY_ID) == id);
                if (!known) {
                    insert(t, ENCRYPTION, id, ENABLED);
                }
            }
        });
    }

    /**
     * Refuses a transaction that sealed values under a key the database no longer encrypts with: a run that bound
     * its keyset before a rotation began must not commit values under the old key once the rotation has counted
     * what is left under it (it would then disable that key, and the values would never open again). Run by the
     * audit trail's guard once the transaction holds the chain's head, which the rotation's start also takes.
     */
    public static void requirePrimary(DSLContext tx, Keyring keyring) {
        Long primary = tx.select(KEY_REGISTRY.KEY_ID).from(KEY_REGISTRY).where(KEY_REGISTRY.PURPOSE.eq(ENCRYPTION)
                .and(KEY_REGISTRY.STATUS.eq(PRIMARY))).fetchOne(KEY_REGISTRY.KEY_ID);
        if (primary != null && primary != keyring.primaryEncryptionKey()) {
            throw new CimException(Failure.LOCKED, "the encryption keys were rotated while this command ran (the "
                    + "database now encrypts with key " + primary + ", this keyset with " + keyring.primaryEncryptionKey()
                    + "); nothing this transaction wrote was kept", "run the command again with the keyset file the "
                    + "rotation wrote (every copy must be replaced after 'cim keys rotate')");
        }
    }

    private static void check(List<Record> registered, Keyring keyring, String keysetName) {
        for (Record r : registered) {
            long id = r.get(KEY_REGISTRY.KEY_ID);
            String status = r.get(KEY_REGISTRY.STATUS);
            if (BLIND_INDEX.equals(r.get(KEY_REGISTRY.PURPOSE)) && id != keyring.blindIndexKey()) {
                throw wrongKeyset(keysetName, "the database's blind-index key is " + id + ", the keyset's "
                        + keyring.blindIndexKey());
            }
            if (ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE)) && !RETIRED.equals(status)
                    && !keyring.encryptionKeys().contains(id)) {
                throw wrongKeyset(keysetName, "it lacks key " + id + ", which protects values in this database");
            }
        }
    }

    private static CimException wrongKeyset(String keysetName, String why) {
        return new CimException(Failure.NOT_PERMITTED, "the keyset " + keysetName + " is not this database's: " + why,
                "use the keyset this database was set up with (after 'cim keys rotate', every copy must be replaced)");
    }

    private static void register(DSLContext t, Keyring keyring) {
        for (long id : keyring.encryptionKeys()) {
            insert(t, ENCRYPTION, id, id == keyring.primaryEncryptionKey() ? PRIMARY : ENABLED);
        }
        insert(t, BLIND_INDEX, keyring.blindIndexKey(), PRIMARY);
    }

    static void insert(DSLContext t, String purpose, long id, String status) {
        t.insertInto(KEY_REGISTRY).set(KEY_REGISTRY.PURPOSE, purpose).set(KEY_REGISTRY.KEY_ID, id)
                .set(KEY_REGISTRY.STATUS, status).execute();
    }

    /** The registered keys, for `keys status`. */
    public static List<Record> registered(DSLContext dsl) {
        return dsl.select().from(KEY_REGISTRY).orderBy(KEY_REGISTRY.PURPOSE, KEY_REGISTRY.CREATED_AT).fetch();
    }
}
