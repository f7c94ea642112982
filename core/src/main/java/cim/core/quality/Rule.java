package cim.core.quality;

import cim.core.protect.CustomerField;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One quality rule: an id ({@code person.id_number.checksum}), what it measures, the field, how serious a breach
 * is, how many failures it tolerates, which records it checks and the check itself, which says why a record
 * fails (or null when it passes). Known exceptions are waived by record key ({@code keyWaivers}), or by text that is
 * either a value of the field or a record key ({@code waivers}, which reads values, so not on a tier-1 field).
 */
public record Rule(String id, Dimension dimension, CustomerField field, Severity severity, Threshold threshold,
                   String description, Predicate<QualityRecord> applies, Check check, Set<String> waivers,
                   Set<String> keyWaivers, boolean custom) {

    /** Why a record fails the rule, or null when it passes. */
    @FunctionalInterface
    public interface Check {
        String failure(QualityRecord record, Context context);
    }

    /**
     * What rules read besides the record: the day, the stale period, identifiers shared by several customers
     * (customer scope), and the channel records the admission rules refused a code (source scope; {@link
     * cim.core.codes.PendingRecords#refusedKeys}).
     */
    public record Context(LocalDate today, int staleAfterDays, Map<CustomerField, Set<String>> shared,
                          Set<String> refused) implements Serializable {
        public Context(LocalDate today, int staleAfterDays, Map<CustomerField, Set<String>> shared) {
            this(today, staleAfterDays, shared, Set.of());
        }
    }

    public Rule withSeverity(Severity s) {
        return new Rule(id, dimension, field, s, threshold, description, applies, check, waivers, keyWaivers, custom);
    }

    public Rule withThreshold(Threshold t) {
        return new Rule(id, dimension, field, severity, t, description, applies, check, waivers, keyWaivers, custom);
    }

    public Rule withWaivers(Set<String> w) {
        return new Rule(id, dimension, field, severity, threshold, description, applies, check, Set.copyOf(w), keyWaivers, custom);
    }

    public Rule withKeyWaivers(Set<String> w) {
        return new Rule(id, dimension, field, severity, threshold, description, applies, check, waivers, Set.copyOf(w),
                custom);
    }

    /** Whether a failing record is a known exception: its key, or its value of the field, is waived. */
    boolean waived(QualityRecord record) {
        return keyWaivers.contains(record.key()) || !waivers.isEmpty() && (waivers.contains(record.key())
                || field != null && record.get(field) != null && waivers.contains(record.get(field)));
    }
}
