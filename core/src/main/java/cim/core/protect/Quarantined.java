package cim.core.protect;

import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quarantined row is kept twice: its raw text sealed whole under {@link #CONTEXT} (it may hold tier-1 values
 * anywhere), and a copy for people, {@code name=value; name=value} in name order, with tier-1 values masked.
 */
public final class Quarantined {
    public static final String CONTEXT = "quarantine.raw_row";

    /** The row a quarantined raw text is sealed to: its batch and line, so it cannot be moved to another. */
    public static String row(long batch, long line) {
        return "batch " + batch + " line " + line;
    }
    private static final String SEPARATOR = "; ";
    // where a segment starts: "; " and a column name, then "="
    private static final Pattern NEXT_NAME = Pattern.compile("; ([a-z_]+)=");

    private Quarantined() {
    }

    /** The copy for people of a row's values by column name: tier-1 values masked by their rule. */
    public static String masked(Map<String, String> values, TierRegistry registry) {
        StringJoiner joined = new StringJoiner(SEPARATOR);
        new TreeMap<>(values).forEach((name, value) -> {
            Optional<CustomerField> field = CustomerField.find(name);
            String shown = value;
            if (field.isPresent()) {
                FieldPolicy policy = registry.policy(field.get());
                shown = policy.tier().encrypted() ? policy.masking().mask(value, false) : value;
            }
            joined.add(name + "=" + shown);
        });
        return joined.toString();
    }

    /**
     * A copy for people with one more field masked (the field moved into tier 1). The field's value runs to the
     * next segment, whose name sorts after the field's, since the copy is in name order; the text is returned as it
     * is when the field is not in it.
     */
    public static String mask(String masked, CustomerField field, MaskingRule rule) {
        String start = field.column() + "=";
        int at = masked.startsWith(start) ? 0 : masked.indexOf(SEPARATOR + start);
        if (at < 0) {
            return masked;
        }
        int valueStart = at == 0 && masked.startsWith(start) ? start.length()
                : at + SEPARATOR.length() + start.length();
        int valueEnd = masked.length();
        Matcher next = NEXT_NAME.matcher(masked);
        int from = valueStart;
        while (from < masked.length() && next.find(from)) {
            if (next.group(1).compareTo(field.column()) > 0) {
                valueEnd = next.start();
                break;
            }
            from = next.start() + 1;
        }
        String value = masked.substring(valueStart, valueEnd);
        return masked.substring(0, valueStart) + rule.mask(value, false) + masked.substring(valueEnd);
    }
}
