package cim.cli;

import cim.core.protect.MaskProfile;
import picocli.CommandLine.Option;

/** The masking options of every command that shows customer values: --mask and the --reason that unmasking needs. */
public final class MaskOptions {
    @Option(names = "--mask", paramLabel = "PROFILE", defaultValue = "tier1",
            description = "tier1 (default), tier2 or none")
    private String mask;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (required with --mask none); audited")
    private String reason;

    /** The profile chosen; --mask none without --reason is refused (exit 77). */
    public MaskProfile profile() {
        MaskProfile profile = MaskProfile.parse(mask);
        profile.requireReason(reason);
        return profile;
    }

    public String reason() {
        return reason;
    }
}
