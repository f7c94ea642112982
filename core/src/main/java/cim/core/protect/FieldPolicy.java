package cim.core.protect;

/** One registry entry: how a field is classified (Art. 7–9) and so protected and masked. */
public record FieldPolicy(CustomerField field, String category, String origin, Tier tier, MaskingRule masking,
                          String description, int version) {

    /** What the tier means at rest, in words for `tiers list`. */
    public String protection() {
        if (!tier.encrypted()) {
            return "clear";
        }
        return field.searchable() ? "encrypted + blind index" : "encrypted";
    }
}
