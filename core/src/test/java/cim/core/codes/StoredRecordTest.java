package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.CustomerField;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

class StoredRecordTest {
    private static final List<String> COLUMNS = CustomerField.STORED_COLUMNS;

    @Provide
    Arbitrary<List<String>> rows() {
        // absent, empty, short, Chinese, and longer than one length byte holds (sealed values are ~100 characters)
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(""),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(300),
                Arbitraries.strings().withCharRange('一', '龥').ofMaxLength(200));
        return value.list().ofSize(COLUMNS.size());
    }

    /** Whatever a row holds, each column's value comes back as it was, and an absent one as absent. */
    @Property(tries = 300)
    void everyStoredValueComesBackAsItWas(@ForAll("rows") List<String> values) {
        SourceRecordRecord row = new SourceRecordRecord();
        for (int i = 0; i < COLUMNS.size(); i++) {
            row.set(SOURCE_RECORD.field(COLUMNS.get(i), String.class), values.get(i));
        }
        StoredRecord stored = StoredRecord.of(row);
        for (int i = 0; i < COLUMNS.size(); i++) {
            assertThat(stored.has(i)).as(COLUMNS.get(i)).isEqualTo(values.get(i) != null);
            assertThat(stored.value(i)).as(COLUMNS.get(i)).isEqualTo(values.get(i));
        }
    }

    @Test
    void provenanceIsKeptAndTheCollectionTimeIsTheChannelsOrElseTheLoadTime() {
        SourceRecordRecord row = new SourceRecordRecord();
        row.setId(42L);
        row.setBatchId(7L);
        row.setSourceSystem("web");
        row.setSourceKey("k-1");
        row.setCustomerType("PERSON");
        row.setStatus("INSURED");
        row.setIssues("{\"mobile\":\"length\"}");
        OffsetDateTime loaded = OffsetDateTime.of(2026, 11, 27, 8, 30, 15, 123_456_000, ZoneOffset.ofHours(8));
        row.setLoadedAt(loaded);
        StoredRecord stored = StoredRecord.of(row);
        assertThat(stored.id()).isEqualTo(42L);
        assertThat(stored.batchId()).isEqualTo(7L);
        assertThat(stored.sourceSystem()).isEqualTo("web");
        assertThat(stored.sourceKey()).isEqualTo("k-1");
        assertThat(stored.customerType()).isEqualTo("PERSON");
        assertThat(stored.status()).isEqualTo("INSURED");
        assertThat(stored.issues()).isEqualTo("{\"mobile\":\"length\"}");
        assertThat(stored.collected()).isEqualTo(loaded.withOffsetSameInstant(ZoneOffset.UTC));

        OffsetDateTime collected = loaded.minusYears(3);
        row.setCollectedAt(collected);
        StoredRecord earlier = StoredRecord.of(row);
        assertThat(earlier.collected().toInstant()).isEqualTo(collected.toInstant());
        assertThat(earlier.collectedOrder()).isLessThan(stored.collectedOrder());
        assertThat(StoredRecord.of(new SourceRecordRecord()).issues()).isEmpty();
    }
}
