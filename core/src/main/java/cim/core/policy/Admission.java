package cim.core.policy;

import cim.core.CustomerType;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.CustomerField;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The admission rules (准入, Art. 11.2): per customer type, the fields a record must have, present and valid, and
 * groups of which it needs at least one valid value, before {@code codes assign} gives it a customer code. Valid means
 * the importer flagged no problem with the value, so the check reads no value (tier-1 values stay sealed): it costs a
 * few lookups per record.
 */
public record Admission(Map<String, Rule> byType) implements Serializable {
    /** No rules: every record is admitted. */
    public static final Admission NONE = new Admission(Map.of());

    /** A customer type's rule: every field of {@code required}, and one of each group of {@code anyOf}. */
    public record Rule(List<CustomerField> required, List<List<CustomerField>> anyOf) implements Serializable {
        public Rule {
            required = List.copyOf(required);
            anyOf = anyOf.stream().map(List::copyOf).toList();
        }
    }

    /** Where each field is in a source record: looked up once, not per record and field. */
    private static final int[] COLUMNS = new int[CustomerField.values().length];

    static {
        for (CustomerField field : CustomerField.values()) {
            COLUMNS[field.ordinal()] = SOURCE_RECORD.indexOf(field.column());
        }
    }

    public Admission {
        byType = Map.copyOf(byType);
    }

    /** Why the record is refused, in words naming fields (never values); null when it is admitted. */
    public String refusal(SourceRecordRecord record) {
        Rule rule = byType.get(CustomerType.of(record.getCustomerType()).name());
        if (rule == null) {
            return null;
        }
        String issues = record.getIssues() == null ? "" : record.getIssues();
        List<String> reasons = new ArrayList<>();
        for (CustomerField field : rule.required()) {
            if (record.get(COLUMNS[field.ordinal()]) == null) {
                reasons.add("no " + field.column());
            } else if (flagged(issues, field)) {
                reasons.add(field.column() + " not valid");
            }
        }
        for (List<CustomerField> group : rule.anyOf()) {
            if (group.stream().noneMatch(f -> record.get(COLUMNS[f.ordinal()]) != null && !flagged(issues, f))) {
                reasons.add("no valid " + group.stream().map(CustomerField::column)
                        .collect(Collectors.joining(" or ")));
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Whether the importer flagged the field invalid (the issues document is keyed by field name). */
    private static boolean flagged(String issues, CustomerField field) {
        return !issues.isEmpty() && issues.contains("\"" + field.column() + "\"");
    }
}
