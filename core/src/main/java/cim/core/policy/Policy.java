package cim.core.policy;

import cim.core.codes.ChannelTrust;
import cim.core.codes.CodeAssigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The company's rules for the customer file (Art. 11.2) as one version of the policy: admission, merging (the
 * match thresholds and the channel trust order of golden records), cleansing, and the retention rules that an
 * erasure gives way to. Version 0 is the built-in default, which a
 * database uses until an admin sets one ({@code cim policy set}).
 */
public record Policy(int version, Admission admission, CodeAssigner.Thresholds thresholds, ChannelTrust trust,
                     Cleansing cleansing, Retention retention) {
    /** The built-in default's YAML, as {@code cim policy show --yaml} prints it for a database with none set. */
    public static final String DEFAULT_YAML = readDefault();
    /** The built-in default. */
    public static final Policy DEFAULT = PolicyFile.parse(DEFAULT_YAML, "the built-in policy", 0);

    /** The same rules with the merging settings a {@code --dry-run} tries instead (null: the policy's). */
    public Policy trying(CodeAssigner.Thresholds otherThresholds, ChannelTrust otherTrust) {
        return new Policy(version, admission, otherThresholds == null ? thresholds : otherThresholds,
                otherTrust == null ? trust : otherTrust, cleansing, retention);
    }

    private static String readDefault() {
        try (InputStream in = Policy.class.getResourceAsStream("default-policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
