package cim.core.testing;

import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.TierRegistry;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertSetMoreStep;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.Map;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** Writes source and golden records the way every writer must: each value stored as its tier says. */
public final class SourceRecords {
    private final DSLContext dsl;
    private final FieldProtector protector;
    private final TierRegistry registry;
    private final long batch;

    public SourceRecords(DSLContext dsl, FieldProtector protector) {
        this.dsl = dsl;
        this.protector = protector;
        this.registry = TierRegistry.load(dsl);
        this.batch = dsl.insertInto(IMPORT_BATCH).set(IMPORT_BATCH.SOURCE_SYSTEM, "test")
                .set(IMPORT_BATCH.FILE_NAME, "test.csv").set(IMPORT_BATCH.FILE_SHA256, "0".repeat(64))
                .set(IMPORT_BATCH.FORMAT, "csv").set(IMPORT_BATCH.ENCODING, "UTF-8")
                .set(IMPORT_BATCH.STATE, "committed").set(IMPORT_BATCH.ACTOR, "test")
                .returning(IMPORT_BATCH.ID).fetchSingle().getId();
    }

    public long source(String key, Map<CustomerField, String> values) {
        InsertSetMoreStep<?> insert = dsl.insertInto(SOURCE_RECORD)
                .set(SOURCE_RECORD.SOURCE_SYSTEM, "test").set(SOURCE_RECORD.SOURCE_KEY, key)
                .set(SOURCE_RECORD.BATCH_ID, batch).set(SOURCE_RECORD.CUSTOMER_TYPE, "PERSON");
        setFields(insert, SOURCE_RECORD, key, values);
        return insert.returning(SOURCE_RECORD.ID).fetchSingle().get(SOURCE_RECORD.ID);
    }

    /** A golden record whose values came from a source record of channel "test" with the code as its key. */
    public void customer(String code, Map<CustomerField, String> values) {
        InsertSetMoreStep<?> insert = dsl.insertInto(CUSTOMER).set(CUSTOMER.CODE, code)
                .set(CUSTOMER.CUSTOMER_TYPE, "PERSON")
                .set(CUSTOMER.PROVENANCE, "{\"*\":\"" + row(code) + "#" + batch + "\"}");
        setFields(insert, CUSTOMER, code, values);
        insert.execute();
    }

    /** The row a value of the record with this key (channel "test") is bound to. */
    public static String row(String key) {
        return FieldProtector.row("test", key);
    }

    private void setFields(InsertSetMoreStep<?> insert, org.jooq.Table<?> table, String key,
                           Map<CustomerField, String> values) {
        values.forEach((field, clear) -> {
            FieldProtector.Stored stored = protector.store(registry, field, row(key), clear);
            insert.set(table.field(field.column(), String.class), stored.value());
            field.blindIndexColumn().ifPresent(c -> insert.set(table.field(c, String.class), stored.blindIndex()));
        });
    }

    /** The stored (not decrypted) value of a field of a source record. */
    public static String stored(DSLContext dsl, long id, CustomerField field) {
        Field<String> column = SOURCE_RECORD.field(field.column(), String.class);
        Record r = dsl.select(column).from(SOURCE_RECORD).where(SOURCE_RECORD.ID.eq(id)).fetchSingle();
        return r.get(column);
    }

    /** The clear value of a field of a source record, opened as bound to its row. */
    public static String opened(DSLContext dsl, FieldProtector protector, long id, CustomerField field) {
        Record r = dsl.select(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD)
                .where(SOURCE_RECORD.ID.eq(id)).fetchSingle();
        return protector.open(field, FieldProtector.row(r.get(SOURCE_RECORD.SOURCE_SYSTEM),
                r.get(SOURCE_RECORD.SOURCE_KEY)), stored(dsl, id, field));
    }

    /** Fills a table quickly with n records holding an e-mail and a postal code (clear, tier 2 by default). */
    public void bulk(int n) {
        for (int from = 0; from < n; from += 1000) {
            var insert = dsl.insertInto(SOURCE_RECORD, SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY,
                    SOURCE_RECORD.BATCH_ID, SOURCE_RECORD.POSTAL_CODE);
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                insert = insert.values("bulk", "k" + i, batch, String.format("%06d", i));
            }
            insert.execute();
        }
    }

}
