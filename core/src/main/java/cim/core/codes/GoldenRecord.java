package cim.core.codes;

import cim.core.CustomerStatus;
import cim.core.CustomerType;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import org.jooq.Field;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import static cim.core.db.schema.Tables.CUSTOMER;

/**
 * The golden record of a customer, by survivorship per field over its source records: a valid value beats an
 * invalid one; then the more trusted channel ({@link ChannelTrust}); then the most recent record. Values are copied
 * as stored (sealed values stay sealed, with their blind index), and each field's provenance names the record
 * that supplied it; lists held by several records are combined instead ({@link GoldenLists}). A steward's correction
 * ({@link Corrections}) is above them all: its provenance is {@value FieldProtector#STEWARD}. The customer lists
 * all its channels and the first collector (Art. 4.3–4.4).
 */
final class GoldenRecord {
    private static final CustomerField[] FIELDS = CustomerField.values();
    private static final int[] VALUE_INDEX = new int[FIELDS.length];
    private static final int[] BLIND_INDEX = new int[FIELDS.length];
    private static final boolean[] IS_LIST = new boolean[FIELDS.length];

    /** The customer columns a golden record sets, in the order of {@link #build}'s values. */
    static final List<Field<?>> COLUMNS;

    static {
        List<Field<?>> columns = new ArrayList<>();
        for (int i = 0; i < FIELDS.length; i++) {
            CustomerField field = FIELDS[i];
            VALUE_INDEX[i] = StoredRecord.column(field.column());
            IS_LIST[i] = GoldenLists.FIELDS.contains(field);
            columns.add(CUSTOMER.field(field.column()));
            BLIND_INDEX[i] = field.blindIndexColumn().map(StoredRecord::column).orElse(-1);
            field.blindIndexColumn().ifPresent(column -> columns.add(CUSTOMER.field(column)));
        }
        columns.addAll(List.of(CUSTOMER.CUSTOMER_TYPE, CUSTOMER.STATUS, CUSTOMER.PROVENANCE, CUSTOMER.CHANNELS,
                CUSTOMER.FIRST_SOURCE_SYSTEM, CUSTOMER.FIRST_COLLECTED_AT, CUSTOMER.UPDATED_AT));
        COLUMNS = List.copyOf(columns);
    }

    /** In the stored provenance: the record behind every field not named. */
    static final String EVERY_OTHER = "*";

    private GoldenRecord() {
    }

    /**
     * The golden values of a customer with these records (at least one), in the order of {@link #COLUMNS},
     * with {@code extra} free places after them for the caller. List fields held by several records are combined
     * ({@link GoldenLists}).
     */
    static Object[] build(List<StoredRecord> records, ChannelTrust trust, int extra, GoldenLists lists,
                          Map<CustomerField, FieldProtector.Stored> corrections) {
        Object[] values = new Object[COLUMNS.size() + extra];
        StoredRecord[] suppliers = new StoredRecord[FIELDS.length];
        // most customers have one record, or lists in one: nothing to combine, nothing allocated
        Map<String, Object> combined = null;
        int column = 0;
        for (int i = 0; i < FIELDS.length; i++) {
            CustomerField field = FIELDS[i];
            int index = VALUE_INDEX[i];
            FieldProtector.Stored corrected = corrections.isEmpty() ? null : corrections.get(field);
            if (corrected != null) {
                // a steward's value is above every channel's (Art. 46), until the steward takes it back
                values[column++] = corrected.value();
                if (BLIND_INDEX[i] >= 0) {
                    values[column++] = corrected.blindIndex();
                }
                combined = combined == null ? new HashMap<>() : combined;
                combined.put(field.column(), FieldProtector.STEWARD);
                continue;
            }
            if (records.size() > 1 && IS_LIST[i] && records.stream().filter(r -> r.has(index)).count() > 1) {
                List<StoredRecord> bestFirst = new ArrayList<>(records.stream().filter(r -> r.has(index)).toList());
                bestFirst.sort((a, b) -> a == b ? 0 : better(a, b, field, trust) ? -1 : 1);
                GoldenLists.Combined list = lists.combine(field, bestFirst, index);
                values[column++] = list.value();
                combined = combined == null ? new HashMap<>() : combined;
                combined.put(field.column(), list.sources());
                continue;
            }
            StoredRecord best = null;
            for (StoredRecord r : records) {
                if (r.has(index) && (best == null || better(r, best, field, trust))) {
                    best = r;
                }
            }
            values[column++] = best == null ? null : best.value(index);
            if (BLIND_INDEX[i] >= 0) {
                values[column++] = best == null ? null : best.value(BLIND_INDEX[i]);
            }
            suppliers[i] = best;
        }
        StoredRecord first = records.stream().min(Comparator.comparingLong(StoredRecord::collectedOrder)
                .thenComparingLong(StoredRecord::id)).orElseThrow();
        values[column++] = CustomerType.of(first.customerType()).name();
        values[column++] = (records.stream().anyMatch(r -> CustomerStatus.of(r.status()) == CustomerStatus.INSURED)
                ? CustomerStatus.INSURED : CustomerStatus.POTENTIAL).name();
        Map<String, Object> provenance = provenance(suppliers);
        if (combined != null) {
            provenance.putAll(combined);
        }
        values[column++] = Json.write(provenance);
        values[column++] = String.join(",", new TreeSet<>(records.stream().map(StoredRecord::sourceSystem)
                .toList()));
        values[column++] = first.sourceSystem();
        values[column++] = first.collected();
        values[column] = OffsetDateTime.now();
        return values;
    }

    /**
     * The stored provenance of fields whose values came from {@code suppliers} (per field, null when it has no
     * value): the record that supplied most of them under {@value #EVERY_OTHER}, and each field that came from
     * another by name (channel/key#batch). Most customers' values all come from one record: a few dozen bytes
     * instead of a name and a record per field.
     */
    private static Map<String, Object> provenance(StoredRecord[] suppliers) {
        Map<StoredRecord, Integer> counts = new IdentityHashMap<>();
        StoredRecord most = null;
        for (StoredRecord supplier : suppliers) {
            if (supplier != null && counts.merge(supplier, 1, Integer::sum) > counts.getOrDefault(most, 0)) {
                most = supplier;
            }
        }
        Map<String, Object> provenance = new TreeMap<>();
        if (most != null) {
            provenance.put(EVERY_OTHER, reference(most));
        }
        for (int i = 0; i < FIELDS.length; i++) {
            if (suppliers[i] != null && suppliers[i] != most) {
                provenance.put(FIELDS[i].column(), reference(suppliers[i]));
            }
        }
        return provenance;
    }

    static String reference(StoredRecord record) {
        return record.sourceSystem() + "/" + record.sourceKey() + "#" + record.batchId();
    }

    /**
     * The record behind each of the customer's fields that has a value ({@code hasValue}, by column), from its
     * stored provenance: written by {@link #build} (the fields not named came from the record under {@value
     * #EVERY_OTHER}), or by an earlier version of cim with every field named. A list combined from several records
     * has, instead of one record, a list per item of the records that supplied it.
     */
    static Map<String, Object> provenance(String stored, Predicate<String> hasValue) {
        Map<String, Object> provenance = new TreeMap<>();
        if (stored == null) {
            return provenance;
        }
        Map<String, Object> read = Json.readMap(stored);
        Object other = read.get(EVERY_OTHER);
        for (CustomerField field : FIELDS) {
            Object source = read.getOrDefault(field.column(), other);
            if (source != null && hasValue.test(field.column())) {
                provenance.put(field.column(), source instanceof List<?> ? source : source.toString());
            }
        }
        return provenance;
    }

    private static boolean better(StoredRecord candidate, StoredRecord best, CustomerField field,
                                  ChannelTrust trust) {
        boolean candidateValid = !MatchRecord.flagged(candidate.issues(), field);
        boolean bestValid = !MatchRecord.flagged(best.issues(), field);
        if (candidateValid != bestValid) {
            return candidateValid;
        }
        int byTrust = Integer.compare(trust.rank(candidate.sourceSystem()), trust.rank(best.sourceSystem()));
        if (byTrust != 0) {
            return byTrust < 0;
        }
        int byTime = Long.compare(candidate.collectedOrder(), best.collectedOrder());
        return byTime != 0 ? byTime > 0 : candidate.id() > best.id();
    }
}
