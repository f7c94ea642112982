package cim.core.ingest;

import cim.core.db.Backend;
import cim.core.db.BulkInsert;
import cim.core.protect.CustomerField;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

import static cim.core.db.schema.Tables.IMPORT_STAGING;

/**
 * Writes staged records into import_staging inside the import's transaction: through COPY on PostgreSQL (the
 * bulk path), through multi-row inserts on H2. Then one set-based step turns them into source records.
 */
final class Staging {
    private static final int ROWS_PER_INSERT = 500;

    private final DSLContext tx;
    private final Backend backend;
    private final long batch;
    private final List<String> columns = columns();

    Staging(DSLContext tx, Backend backend, long batch) {
        this.tx = tx;
        this.backend = backend;
        this.batch = batch;
        if (backend == Backend.POSTGRESQL) {
            // a temporary table of the same name shadows the shared one in this session: no WAL, no index, no
            // cleanup, gone at commit or rollback
            tx.execute("CREATE TEMPORARY TABLE import_staging (LIKE public.import_staging) ON COMMIT DROP");
        }
    }

    /** Whether the staged rows must be deleted after the merge (the shared table on H2). */
    boolean sharedTable() {
        return backend != Backend.POSTGRESQL;
    }

    /** Gives the planner the staged table's statistics before the merge joins it. */
    void analyse() {
        if (backend == Backend.POSTGRESQL) {
            tx.execute("ANALYZE import_staging");
        }
    }

    static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("batch_id", "line_no", "source_system", "source_key",
                "customer_type", "status"));
        columns.addAll(CustomerField.STORED_COLUMNS);
        columns.add("issues");
        return columns;
    }

    void write(List<RecordBuilder.Staged> records) {
        if (records.isEmpty()) {
            return;
        }
        if (backend == Backend.POSTGRESQL) {
            copy(records);
        } else {
            insert(records);
        }
    }

    private List<Object> values(RecordBuilder.Staged r) {
        List<Object> values = new ArrayList<>(columns.size());
        values.add(batch);
        values.add(r.line());
        values.add(r.sourceSystem());
        values.add(r.sourceKey());
        values.add(r.customerType());
        values.add(r.status());
        for (CustomerField field : CustomerField.values()) {
            values.add(r.stored().get(field));
            if (field.searchable()) {
                values.add(r.blindIndexes().get(field));
            }
        }
        values.add(r.issues());
        return values;
    }

    private void copy(List<RecordBuilder.Staged> records) {
        StringBuilder csv = new StringBuilder(records.size() * 256);
        for (RecordBuilder.Staged r : records) {
            BulkInsert.appendCsv(csv, values(r).toArray());
        }
        BulkInsert.copy(tx, "import_staging", columns, csv);
    }

    @SuppressWarnings("unchecked")
    private void insert(List<RecordBuilder.Staged> records) {
        List<Field<Object>> fields = columns.stream()
                .map(c -> (Field<Object>) IMPORT_STAGING.field(c)).toList();
        for (int from = 0; from < records.size(); from += ROWS_PER_INSERT) {
            InsertValuesStepN<Record> insert = tx.insertInto(DSL.table(IMPORT_STAGING.getQualifiedName()), fields);
            for (RecordBuilder.Staged r : records.subList(from, Math.min(records.size(), from + ROWS_PER_INSERT))) {
                insert = insert.values(values(r));
            }
            insert.execute();
        }
    }
}
