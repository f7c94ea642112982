package cim.core.protect;

import cim.core.audit.AuditEntry;

import java.util.HashMap;
import java.util.Map;

/**
 * What a display or export shows of each field: the registry's masking rule when the profile covers the field's
 * tier, the clear value otherwise. Every reader of customer data goes through this, so the registry decides.
 */
public final class Masker {
    private final TierRegistry registry;
    private final MaskProfile profile;

    /** Refuses {@link MaskProfile#NONE} without a reason (exit 77). */
    public Masker(TierRegistry registry, MaskProfile profile, String reason) {
        profile.requireReason(reason);
        this.registry = registry;
        this.profile = profile;
    }

    public String show(CustomerField field, String clear, boolean organisation) {
        FieldPolicy policy = registry.policy(field);
        return profile.masks(policy.tier()) ? policy.masking().mask(clear, organisation) : clear;
    }

    public MaskProfile profile() {
        return profile;
    }

    /**
     * The audit event of a display or export that showed protected values in clear: who (from the trail), why,
     * which records (the filter), how many, and the output file's hash. Null when everything was masked.
     */
    public AuditEntry revealEvent(String action, String reason, String filter, long rows, String fileSha256) {
        if (profile != MaskProfile.NONE) {
            return null;
        }
        Map<String, Object> detail = new HashMap<>();
        detail.put("mask", profile.id());
        detail.put("reveal", true);
        detail.put("filter", filter);
        detail.put("file_sha256", fileSha256);
        return AuditEntry.of(action).rows(rows).reason(reason).detail(detail);
    }
}
