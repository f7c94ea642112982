package cim.core.ingest;

import cim.core.db.BulkInsert;
import cim.core.db.CopyBinary;
import cim.core.db.Engine;
import cim.core.protect.CustomerField;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.List;

import static cim.core.db.schema.Tables.IMPORT_STAGING;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * Lands built rows inside the import's transaction. A row whose channel and key are certainly new goes straight
 * into source_record as version 1 (the columns' defaults); any other row goes to import_staging, from which one
 * set-based step ({@link Merge}) makes it the next version. On PostgreSQL both go by COPY, the rows encoded (binary
 * format) on the builder threads; on H2 by batches of one prepared insert.
 */
final class Staging {
    private static final List<String> COLUMNS = columns();
    private static final CopyBinary ENCODER = CopyBinary.of(COLUMNS.stream().<Field<?>>map(SOURCE_RECORD::field)
            .toList());

    private final DSLContext tx;
    private final Engine engine;
    private final long batch;
    private final KnownKeys known;
    private long stagedRows;

    /** The channels whose import lock this transaction holds (the file's, and those its rows named so far). */
    private final java.util.Set<String> lockedChannels = new java.util.HashSet<>();

    Staging(DSLContext tx, long batch, long rowsExpected, String lockedChannel) {
        lockedChannels.add(lockedChannel);
        this.tx = tx;
        this.engine = Engine.of(tx);
        this.batch = batch;
        this.known = new KnownKeys(tx, rowsExpected);
        engine.createStaging(tx);
    }

    /** Whether the staged rows must be deleted after the merge (a shared table, not the transaction's own). */
    boolean sharedTable() {
        return engine.sharesStaging();
    }

    /** Whether any row went to import_staging, so that the merge has work to do. */
    boolean anyStaged() {
        return stagedRows > 0;
    }

    /** Gives the planner the staged table's statistics before the merge joins it. */
    void analyse() {
        engine.analyse(tx, "import_staging");
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("batch_id", "line_no", "source_system", "source_key",
                "customer_type", "status", "branch", "collected_at", "cleansed"));
        columns.addAll(CustomerField.STORED_COLUMNS);
        columns.add("issues");
        return columns;
    }

    /** Each record as a tuple of COPY's binary format (where rows land by COPY; else null), on the calling threads. */
    List<byte[]> encode(List<RecordBuilder.Staged> records) {
        if (!engine.copiesRows()) {
            return null;
        }
        return records.parallelStream().map(r -> ENCODER.row(values(r))).toList();
    }

    /** Lands the records (on the one thread using the transaction); {@code lines} from {@link #encode}. */
    void write(List<RecordBuilder.Staged> records, List<byte[]> lines) {
        Lands direct = new Lands();
        Lands staged = new Lands();
        for (int i = 0; i < records.size(); i++) {
            RecordBuilder.Staged r = records.get(i);
            if (lockedChannels.add(r.sourceSystem())) {
                // another run importing for that channel must not write its keys' versions at the same time (a
                // deadlock with one that waits for ours is exit 75, nothing kept)
                engine.lockChannelForImport(tx, r.sourceSystem());
            }
            Lands to = known.isNew(r.sourceSystem(), r.sourceKey()) ? direct : staged;
            to.add(r, lines == null ? null : lines.get(i));
        }
        stagedRows += staged.records.size();
        land(SOURCE_RECORD, direct);
        land(IMPORT_STAGING, staged);
    }

    /** Rows bound for one table: with their COPY tuples where rows land by COPY. */
    private static final class Lands {
        final List<RecordBuilder.Staged> records = new ArrayList<>();
        final List<byte[]> tuples = new ArrayList<>();

        void add(RecordBuilder.Staged record, byte[] tuple) {
            records.add(record);
            if (tuple != null) {
                tuples.add(tuple);
            }
        }
    }

    private void land(Table<?> table, Lands rows) {
        if (rows.records.isEmpty()) {
            return;
        }
        if (engine.copiesRows()) {
            engine.copy(tx, table.getName(), COLUMNS, rows.tuples);
        } else {
            insert(table, rows.records);
        }
    }

    private Object[] values(RecordBuilder.Staged r) {
        List<Object> values = new ArrayList<>(COLUMNS.size());
        values.add(batch);
        values.add(r.line());
        values.add(r.sourceSystem());
        values.add(r.sourceKey());
        values.add(r.customerType());
        values.add(r.status());
        values.add(r.branch());
        values.add(r.collectedAt());
        values.add(r.cleansed());
        for (CustomerField field : CustomerField.values()) {
            values.add(r.stored().get(field));
            if (field.searchable()) {
                values.add(r.blindIndexes().get(field));
            }
        }
        values.add(r.issues());
        return values.toArray();
    }

    private void insert(Table<?> table, List<RecordBuilder.Staged> records) {
        List<Field<?>> fields = COLUMNS.stream().<Field<?>>map(table::field).toList();
        BulkInsert.insert(tx, table, fields, records.stream().map(this::values).toList());
    }
}
