package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

class GoldenRecordTest {
    private static final CustomerField[] FIELDS = CustomerField.values();

    /** Per record: which fields it has a value for, and its channel. */
    @Provide
    Arbitrary<List<List<Boolean>>> records() {
        return Arbitraries.of(true, false).list().ofSize(FIELDS.length + 1).list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * However a customer's fields are spread over its records, the provenance read back names, for each field with
     * a golden value and for no other, the record that supplied that value.
     */
    @Property(tries = 300)
    void theProvenanceReadBackNamesTheRecordBehindEachGoldenValue(@ForAll("records") List<List<Boolean>> shapes) {
        List<StoredRecord> records = new ArrayList<>();
        for (int r = 0; r < shapes.size(); r++) {
            SourceRecordRecord row = new SourceRecordRecord();
            row.setId(100L + r);
            row.setBatchId(10L + r);
            row.setSourceSystem(shapes.get(r).get(FIELDS.length) ? "web" : "agent");
            row.setSourceKey("K" + r);
            for (int f = 0; f < FIELDS.length; f++) {
                if (shapes.get(r).get(f)) {
                    // every value names its record, so the record behind a golden value is plain
                    row.set(SOURCE_RECORD.field(FIELDS[f].column(), String.class), "r" + r);
                }
            }
            records.add(StoredRecord.of(row));
        }
        Object[] golden = GoldenRecord.build(records, ChannelTrust.parse(null), 0, new GoldenLists(null, "P1"),
                java.util.Map.of());
        Map<String, Object> byColumn = new HashMap<>();
        for (int i = 0; i < GoldenRecord.COLUMNS.size(); i++) {
            byColumn.put(GoldenRecord.COLUMNS.get(i).getName(), golden[i]);
        }
        Map<String, Object> expected = new TreeMap<>();
        for (CustomerField field : FIELDS) {
            Object value = byColumn.get(field.column());
            if (value != null && value.toString().startsWith("[")) {
                // a list that several records hold: each one's item, with that record
                List<Object> items = Json.MAPPER.readValue(value.toString(), List.class);
                List<List<String>> sources = new ArrayList<>();
                Set<Integer> holders = new java.util.TreeSet<>();
                for (Object item : items) {
                    int r = Integer.parseInt(item.toString().substring(1));
                    holders.add(r);
                    sources.add(List.of(reference(records, r)));
                }
                Set<Integer> expectedHolders = new java.util.TreeSet<>();
                for (int r = 0; r < shapes.size(); r++) {
                    if (shapes.get(r).get(field.ordinal())) {
                        expectedHolders.add(r);
                    }
                }
                assertThat(GoldenLists.FIELDS).contains(field);
                assertThat(holders).as(field.column()).isEqualTo(expectedHolders).hasSizeGreaterThan(1);
                expected.put(field.column(), sources);
            } else if (value != null) {
                expected.put(field.column(), reference(records, Integer.parseInt(value.toString().substring(1))));
            }
        }
        String stored = (String) byColumn.get(CUSTOMER.PROVENANCE.getName());
        assertThat(GoldenRecord.provenance(stored, column -> byColumn.get(column) != null)).isEqualTo(expected);
        if (expected.values().stream().allMatch(String.class::isInstance) && Set.copyOf(expected.values()).size() == 1) {
            assertThat(Json.readMap(stored)).as("all from one record").hasSize(1);
        }
    }

    private static String reference(List<StoredRecord> records, int r) {
        return records.get(r).sourceSystem() + "/K" + r + "#" + (10 + r);
    }

    /** Provenance stored by an earlier cim, every field named, reads back as it was. */
    @Test
    void provenanceWithEveryFieldNamedReadsBackAsItWas() {
        String stored = "{\"mobile\":\"agent/A1#1\",\"name\":\"web/W1#2\"}";
        assertThat(GoldenRecord.provenance(stored, column -> Set.of("mobile", "name").contains(column)))
                .isEqualTo(Map.of("mobile", "agent/A1#1", "name", "web/W1#2"));
        assertThat(GoldenRecord.provenance(null, column -> true)).isEmpty();
    }
}
