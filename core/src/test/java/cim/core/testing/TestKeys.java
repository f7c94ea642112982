package cim.core.testing;

import cim.core.audit.AuditKey;

/** Keys for tests that work below the keyset: a fixed audit key, so that every test's chain verifies under it. */
public final class TestKeys {
    private static final byte[] BYTES = "cim test audit key, 32 bytes ok!".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
    public static final AuditKey AUDIT = AuditKey.of(BYTES);
    /** The same key as a keyset made before the chain was keyed has it: its trail may begin unkeyed. */
    public static final AuditKey LEGACY_AUDIT = AuditKey.derived(BYTES);

    private TestKeys() {
    }
}
