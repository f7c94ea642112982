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

    private AuditKey(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("an audit key has " + LENGTH + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), ALGORITHM);
    }

    public static AuditKey of(byte[] key) {
        return new AuditKey(key);
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
