package cim.core.testing;

import cim.core.audit.AuditKey;

/** Keys for tests that work below the keyset: a fixed audit key, so that every test's chain verifies under it. */
public final class TestKeys {
    public static final AuditKey AUDIT = AuditKey.of("cim test audit key, 32 bytes ok!".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));

    private TestKeys() {
    }
}
