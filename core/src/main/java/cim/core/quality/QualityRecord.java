package cim.core.quality;

import cim.core.protect.CustomerField;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;

/**
 * A record as the rules see it, golden or source: its key (the customer code, or channel/source key), its channel
 * (source records), type and status, its values in clear (tier-1 values decrypted only in memory, only here),
 * and when it last changed.
 */
public record QualityRecord(String key, String channel, boolean organisation, String status,
                            Map<CustomerField, String> values, Map<CustomerField, String> blindIndexes,
                            OffsetDateTime changedAt) {

    public String get(CustomerField field) {
        return values.get(field);
    }

    public boolean has(CustomerField field) {
        String v = values.get(field);
        return v != null && !v.isBlank();
    }

    /** For tests and custom checks: a record from a map of values. */
    public static QualityRecord of(String key, boolean organisation, Map<CustomerField, String> values) {
        Map<CustomerField, String> copy = new EnumMap<>(CustomerField.class);
        copy.putAll(values);
        return new QualityRecord(key, null, organisation, "POTENTIAL", copy, Map.of(), OffsetDateTime.now());
    }
}
