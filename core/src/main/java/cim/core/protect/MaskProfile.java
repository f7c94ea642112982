package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;

import java.util.Locale;

/**
 * Which tiers are masked on display and export: {@code tier1} (the default), {@code tier2} (tiers 1 and 2), or
 * {@code none}, which shows protected values in clear and so needs a reason, recorded in the audit trail.
 */
public enum MaskProfile {
    TIER1, TIER2, NONE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean masks(Tier tier) {
        return switch (this) {
            case TIER1 -> tier == Tier.ONE;
            case TIER2 -> tier == Tier.ONE || tier == Tier.TWO;
            case NONE -> false;
        };
    }

    /** Refuses an unmasked view without a reason (exit 77); a reason is what the audit event will carry. */
    public void requireReason(String reason) {
        if (this == NONE && (reason == null || reason.isBlank())) {
            throw new CimException(Failure.NOT_PERMITTED,
                    "showing protected values in clear (--mask none) needs a reason",
                    "add --reason \"…\" (e.g. a ticket number); it is recorded in the audit trail with the row count");
        }
    }

    public static MaskProfile parse(String id) {
        for (MaskProfile profile : values()) {
            if (profile.id().equals(id.strip().toLowerCase(Locale.ROOT))) {
                return profile;
            }
        }
        throw new CimException(Failure.USAGE, "unknown masking profile '" + id + "'", "use tier1, tier2 or none");
    }
}
