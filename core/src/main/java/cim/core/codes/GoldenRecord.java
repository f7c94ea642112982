package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import org.jooq.Field;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The golden record of a customer, by survivorship per field over its source records: a valid value beats an
 * invalid one; then the more trusted channel ({@link ChannelTrust}); then the most recent record. Values are copied
 * as stored (sealed values stay sealed, with their blind index), and each field's provenance names the record
 * that supplied it. The customer lists all its channels and the first collector (Art. 4.3–4.4).
 */
final class GoldenRecord {
    private static final CustomerField[] FIELDS = CustomerField.values();
    private static final int[] VALUE_INDEX = new int[FIELDS.length];
    private static final int[] BLIND_INDEX = new int[FIELDS.length];

    /** The customer columns a golden record sets, in the order of {@link #build}'s values. */
    static final List<Field<?>> COLUMNS;

    static {
        List<Field<?>> columns = new ArrayList<>();
        for (int i = 0; i < FIELDS.length; i++) {
            CustomerField field = FIELDS[i];
            VALUE_INDEX[i] = SOURCE_RECORD.indexOf(field.column());
            columns.add(CUSTOMER.field(field.column()));
            BLIND_INDEX[i] = field.blindIndexColumn().map(SOURCE_RECORD::indexOf).orElse(-1);
            field.blindIndexColumn().ifPresent(column -> columns.add(CUSTOMER.field(column)));
        }
        columns.addAll(List.of(CUSTOMER.CUSTOMER_TYPE, CUSTOMER.STATUS, CUSTOMER.PROVENANCE, CUSTOMER.CHANNELS,
                CUSTOMER.FIRST_SOURCE_SYSTEM, CUSTOMER.FIRST_COLLECTED_AT, CUSTOMER.UPDATED_AT));
        COLUMNS = List.copyOf(columns);
    }

    private GoldenRecord() {
    }

    /**
     * The golden values of a customer with these records (at least one), in the order of {@link #COLUMNS},
     * with {@code extra} free places after them for the caller.
     */
    static Object[] build(List<SourceRecordRecord> records, ChannelTrust trust, int extra) {
        Object[] values = new Object[COLUMNS.size() + extra];
        Map<String, String> provenance = new TreeMap<>();
        int column = 0;
        for (int i = 0; i < FIELDS.length; i++) {
            CustomerField field = FIELDS[i];
            SourceRecordRecord best = null;
            for (SourceRecordRecord r : records) {
                if (r.get(VALUE_INDEX[i]) != null && (best == null || better(r, best, field, trust))) {
                    best = r;
                }
            }
            values[column++] = best == null ? null : best.get(VALUE_INDEX[i]);
            if (BLIND_INDEX[i] >= 0) {
                values[column++] = best == null ? null : best.get(BLIND_INDEX[i]);
            }
            if (best != null) {
                provenance.put(field.column(), best.getSourceSystem() + "/" + best.getSourceKey() + "#"
                        + best.getBatchId());
            }
        }
        SourceRecordRecord first = records.stream().min(Comparator.comparing(GoldenRecord::collected)
                .thenComparing(SourceRecordRecord::getId)).orElseThrow();
        values[column++] = first.getCustomerType() == null ? "PERSON" : first.getCustomerType();
        values[column++] = records.stream().anyMatch(r -> "INSURED".equals(r.getStatus())) ? "INSURED" : "POTENTIAL";
        values[column++] = Json.write(provenance);
        values[column++] = String.join(",", new TreeSet<>(records.stream().map(SourceRecordRecord::getSourceSystem)
                .toList()));
        values[column++] = first.getSourceSystem();
        values[column++] = collected(first);
        values[column] = OffsetDateTime.now();
        return values;
    }

    private static boolean better(SourceRecordRecord candidate, SourceRecordRecord best, CustomerField field,
                                  ChannelTrust trust) {
        boolean candidateValid = !MatchRecord.flagged(issues(candidate), field);
        boolean bestValid = !MatchRecord.flagged(issues(best), field);
        if (candidateValid != bestValid) {
            return candidateValid;
        }
        int byTrust = Integer.compare(trust.rank(candidate.getSourceSystem()), trust.rank(best.getSourceSystem()));
        if (byTrust != 0) {
            return byTrust < 0;
        }
        int byTime = collected(candidate).compareTo(collected(best));
        return byTime != 0 ? byTime > 0 : candidate.getId() > best.getId();
    }

    private static String issues(SourceRecordRecord r) {
        return r.getIssues() == null ? "" : r.getIssues();
    }

    private static OffsetDateTime collected(SourceRecordRecord r) {
        return r.getCollectedAt() != null ? r.getCollectedAt() : r.getLoadedAt();
    }
}
