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
        bind(dsl, keyring, keysetName, audit, false);
    }

    /**
     * As {@link #bind(DSLContext, Keyring, String, AuditTrail)}; {@code rekeying}: for the blind-index rotation
     * itself, which may bind while one is unfinished (every other command is refused then, exit 75: indexes under two
     * keys would find nothing, and match keys would link nothing), or with the keyset it wrote before the database
     * heard of the new key.
     */
    public static void bind(DSLContext dsl, Keyring keyring, String keysetName, AuditTrail audit, boolean rekeying) {
        List<Record> registeredNow = dsl.select().from(KEY_REGISTRY).fetch();
        if (!registeredNow.isEmpty()) {
            check(registeredNow, keyring, keysetName, rekeying);
            boolean whole = keyring.encryptionKeys().stream().allMatch(id -> registeredNow.stream().anyMatch(
                    r -> ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE)) && id.equals(r.get(KEY_REGISTRY.KEY_ID))));
            if (whole) {
                return;
            }
        }
        try {
            registerOrCheck(dsl, keyring, keysetName, audit, rekeying);
        } catch (org.jooq.exception.DataAccessException e) {
            java.sql.SQLException sql = e.getCause(java.sql.SQLException.class);
            if (sql == null || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            // another run registered the keys at the same moment (FOR UPDATE on an empty table locks nothing): its
            // rows are committed now, so the keyset is checked against them
            registerOrCheck(dsl, keyring, keysetName, audit, rekeying);
        }
    }

    private static void registerOrCheck(DSLContext dsl, Keyring keyring, String keysetName, AuditTrail audit,
                                        boolean rekeying) {
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
            check(registered, keyring, keysetName, rekeying);
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
     * what is left under it (it would then disable that key, and the values would never open again); the same for
     * blind indexes and match keys under a blind-index key a rotation has replaced. Run by the
     * audit trail's guard once the transaction holds the chain's head, which the rotation's start also takes.
     */
    public static void requirePrimary(DSLContext tx, Keyring keyring) {
        Long primary = null;
        Long blindIndex = null;
        for (Record r : tx.select(KEY_REGISTRY.PURPOSE, KEY_REGISTRY.KEY_ID).from(KEY_REGISTRY)
                .where(KEY_REGISTRY.STATUS.eq(PRIMARY)).fetch()) {
            if (ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE))) {
                primary = r.get(KEY_REGISTRY.KEY_ID);
            } else {
                blindIndex = r.get(KEY_REGISTRY.KEY_ID);
            }
        }
        if (primary != null && primary != keyring.primaryEncryptionKey()) {
            throw new CimException(Failure.LOCKED, "the encryption keys were rotated while this command ran (the "
                    + "database now encrypts with key " + primary + ", this keyset with " + keyring.primaryEncryptionKey()
                    + "); nothing this transaction wrote was kept", "run the command again with the keyset file the "
                    + "rotation wrote (every copy must be replaced after 'cim keys rotate')");
        }
        // blind indexes written under the old key after the rotation began would find nothing once it ends
        if (blindIndex != null && blindIndex != keyring.blindIndexKey()) {
            throw new CimException(Failure.LOCKED, "the blind-index key was rotated while this command ran; nothing "
                    + "this transaction wrote was kept", "when 'cim keys rotate --blind-index' has finished, run the "
                    + "command again with the keyset file it wrote");
        }
    }

    private static void check(List<Record> registered, Keyring keyring, String keysetName, boolean rekeying) {
        for (Record r : registered) {
            long id = r.get(KEY_REGISTRY.KEY_ID);
            String status = r.get(KEY_REGISTRY.STATUS);
            if (BLIND_INDEX.equals(r.get(KEY_REGISTRY.PURPOSE))) {
                checkBlindIndex(id, status, keyring, keysetName, rekeying);
                continue;
            }
            if (ENCRYPTION.equals(r.get(KEY_REGISTRY.PURPOSE)) && !RETIRED.equals(status)
                    && !keyring.encryptionKeys().contains(id)) {
                throw wrongKeyset(keysetName, "it lacks key " + id + ", which protects values in this database");
            }
        }
    }

    private static void checkBlindIndex(long id, String status, Keyring keyring, String keysetName,
                                        boolean rekeying) {
        if (ENABLED.equals(status) && !rekeying) {
            throw new CimException(Failure.LOCKED, "a blind-index rotation is unfinished: the blind indexes and match "
                    + "keys are under two keys, so lookups and matching would miss", "finish it first: cim keys "
                    + "rotate --blind-index (with the keyset it wrote)");
        }
        if (!PRIMARY.equals(status) || id == keyring.blindIndexKey()) {
            return;
        }
        if (keyring.blindIndexKeys().contains(id)) {
            if (rekeying) {
                return;
            }
            throw new CimException(Failure.LOCKED, "the keyset " + keysetName + " has a new blind-index key that the "
                    + "database does not know yet: a blind-index rotation stopped before it began", "finish it: cim "
                    + "keys rotate --blind-index");
        }
        throw wrongKeyset(keysetName, "the database's blind-index key is " + id + ", the keyset's "
                + keyring.blindIndexKey());
    }

    /** A blind-index rotation begins: the new key is the database's primary, the old one stays until the end. */
    public static void blindIndexRotationBegins(DSLContext tx, long oldKey, long newKey) {
        tx.update(KEY_REGISTRY).set(KEY_REGISTRY.STATUS, ENABLED)
                .where(KEY_REGISTRY.PURPOSE.eq(BLIND_INDEX).and(KEY_REGISTRY.KEY_ID.eq(oldKey))).execute();
        tx.deleteFrom(KEY_REGISTRY).where(KEY_REGISTRY.PURPOSE.eq(BLIND_INDEX).and(KEY_REGISTRY.KEY_ID.eq(newKey)))
                .execute();
        insert(tx, BLIND_INDEX, newKey, PRIMARY);
    }

    /** A blind-index rotation has re-keyed everything: the old keys are retired. */
    public static void blindIndexRotationEnds(DSLContext tx) {
        tx.update(KEY_REGISTRY).set(KEY_REGISTRY.STATUS, RETIRED).set(KEY_REGISTRY.RETIRED_AT, java.time.OffsetDateTime.now())
                .where(KEY_REGISTRY.PURPOSE.eq(BLIND_INDEX).and(KEY_REGISTRY.STATUS.eq(ENABLED))).execute();
    }

    /** The database's primary blind-index key. */
    public static long blindIndexKey(DSLContext dsl) {
        return dsl.select(KEY_REGISTRY.KEY_ID).from(KEY_REGISTRY).where(KEY_REGISTRY.PURPOSE.eq(BLIND_INDEX)
                .and(KEY_REGISTRY.STATUS.eq(PRIMARY))).fetchSingle(KEY_REGISTRY.KEY_ID);
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
