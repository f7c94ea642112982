package cim.core.testing;

import cim.core.audit.AuditKey;
import cim.core.db.Database;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import cim.core.protect.TierRegistry;

/** Keys for tests that work below the keyset: a fixed audit key, so that every test's chain verifies under it. */
public final class TestKeys {
    private static final byte[] BYTES = "cim test audit key, 32 bytes ok!".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
    public static final AuditKey AUDIT = AuditKey.of(BYTES);
    /** The same key as a keyset made before the chain was keyed has it: its trail may begin unkeyed. */
    public static final AuditKey LEGACY_AUDIT = AuditKey.derived(BYTES);

    private TestKeys() {
    }

    /**
     * Signs the tier registry of a database migrated below the keyset (as 'cim db migrate' does with it), under the
     * keyring a test protects values with.
     */
    public static void signRegistry(Database db, Keyring keys) {
        db.dsl().transaction(tx -> TierRegistry.signAll(tx.dsl(), keys.auditKey()));
    }

    /** A protector under a new keyring that has signed the database's tier registry. */
    public static FieldProtector protector(Database db) {
        Keyring keys = Keyring.generate();
        signRegistry(db, keys);
        return new FieldProtector(keys);
    }
}
