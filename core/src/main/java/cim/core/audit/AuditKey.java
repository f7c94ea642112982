package cim.core.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key of the audit chain's links (HMAC-SHA256). It comes from the keyset, never from the database, so that
 * whoever owns the database can still delete or change events but cannot make the chain fit again.
 */
public final class AuditKey {
    private static final String ALGORITHM = "HmacSHA256";
    public static final int LENGTH = 32;

    private final SecretKeySpec key;
    private final boolean acceptsUnkeyed;

    private AuditKey(byte[] key, boolean acceptsUnkeyed) {
        this.acceptsUnkeyed = acceptsUnkeyed;
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("an audit key has " + LENGTH + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), ALGORITHM);
    }

    /** The key of a keyset that has an audit key of its own: it was made after the chain was keyed. */
    public static AuditKey of(byte[] key) {
        return new AuditKey(key, false);
    }

    /**
     * A key derived for a keyset made before the chain was keyed: its database may begin with events that schema 12
     * wrote with plain SHA-256 links. A keyset with its own audit key never had such events, so for it an unkeyed
     * link is always a rewrite.
     */
    public static AuditKey derived(byte[] key) {
        return new AuditKey(key, true);
    }

    /** Whether the chain may begin with legacy (unkeyed) events. */
    public boolean acceptsUnkeyed() {
        return acceptsUnkeyed;
    }

    /** The MAC of a text, in lower-case hex. */
    public String mac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Compares two MACs in constant time. */
    static boolean same(String expected, String actual) {
        return actual != null && java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "AuditKey[hidden]";
    }
}
