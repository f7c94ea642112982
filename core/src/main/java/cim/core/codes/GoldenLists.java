package cim.core.codes;

import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The list fields of a golden record (relations, policies, claims, accounts, assets, touch-points): a customer holds
 * every item that any of its records holds, once, and each item names the records that supplied it. Survivorship
 * picks one record's value for every other field; a list would lose the other channels' policies that way.
 *
 * <p>An item is the same as another when its identifying attribute agrees (a policy's {@code policy_no}, a claim's
 * {@code claim_no}, an account's {@code number}, compared without blanks, dashes and case); other items when they
 * are equal as JSON. The best record's version of an item is kept (records come best first).
 *
 * <p>When one record alone holds the field, its value is copied as stored, as survivorship copies the other
 * fields. A combined value is new: it is sealed again if any of its parts was sealed, bound to the customer
 * ({@link FieldProtector#customerRow}), since no one record supplied it.
 */
final class GoldenLists {
    static final Set<CustomerField> FIELDS = EnumSet.of(CustomerField.RELATIONS, CustomerField.POLICIES,
            CustomerField.CLAIMS, CustomerField.ACCOUNTS, CustomerField.ASSETS, CustomerField.TOUCHPOINTS);

    private static final Map<CustomerField, String> IDENTITY = Map.of(CustomerField.POLICIES, "policy_no",
            CustomerField.CLAIMS, "claim_no", CustomerField.ACCOUNTS, "number");

    private final FieldProtector protector;
    private final String code;

    /** For the customer {@code code}; {@code protector} opens and seals (null only where no value is sealed). */
    GoldenLists(FieldProtector protector, String code) {
        this.protector = protector;
        this.code = code;
    }

    /** A combined list: its stored value, and per item (in order) the records that supplied it. */
    record Combined(String value, List<List<String>> sources) {
    }

    /**
     * The list of field {@code field} (stored column {@code column}) combined from {@code suppliers}, the records
     * with a value for it, best first.
     */
    Combined combine(CustomerField field, List<StoredRecord> suppliers, int column) {
        boolean sealed = false;
        Map<String, Object> items = new LinkedHashMap<>();
        Map<String, Set<String>> sources = new LinkedHashMap<>();
        for (StoredRecord supplier : suppliers) {
            String stored = supplier.value(column);
            sealed |= FieldProtector.isSealed(stored);
            String reference = GoldenRecord.reference(supplier);
            for (Object item : items(open(field, supplier, stored))) {
                String identity = identity(field, item);
                items.putIfAbsent(identity, item);
                sources.computeIfAbsent(identity, k -> new LinkedHashSet<>()).add(reference);
            }
        }
        String text = Json.write(new ArrayList<>(items.values()));
        List<List<String>> bySource = sources.values().stream().map(s -> (List<String>) new ArrayList<>(s)).toList();
        return new Combined(sealed ? protector.seal(field, FieldProtector.customerRow(code), text) : text, bySource);
    }

    private String open(CustomerField field, StoredRecord supplier, String stored) {
        if (protector == null) {
            if (FieldProtector.isSealed(stored)) {
                throw new IllegalStateException("a sealed " + field + " value to combine, and no keys");
            }
            return stored;
        }
        return protector.open(field, FieldProtector.row(supplier.sourceSystem(), supplier.sourceKey()), stored);
    }

    /** The items of a stored list: a JSON array's elements; any other value (an object, a text) is one item. */
    private static List<Object> items(String clear) {
        String text = clear.strip();
        if (text.startsWith("[") || text.startsWith("{")) {
            try {
                Object parsed = Json.MAPPER.readValue(text, Object.class);
                if (parsed instanceof List<?> list) {
                    return new ArrayList<>(list);
                }
                return List.of(parsed);
            } catch (RuntimeException e) {
                // text that only looks like JSON (a CSV cell): one item as it is
            }
        }
        return List.of(clear);
    }

    private static String identity(CustomerField field, Object item) {
        String attribute = IDENTITY.get(field);
        if (attribute != null && item instanceof Map<?, ?> object && object.get(attribute) != null) {
            String value = object.get(attribute).toString().replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
            if (!value.isEmpty()) {
                return attribute + "=" + value;
            }
        }
        return Json.write(item);
    }
}
