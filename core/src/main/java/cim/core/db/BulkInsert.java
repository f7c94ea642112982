package cim.core.db;

import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Inserts or updates many rows from plain value arrays: inserts by COPY on PostgreSQL, otherwise (and updates)
 * through one prepared statement and a JDBC batch. No per-row records, no statement rendered per row.
 */
public final class BulkInsert {
    private static final int ROWS_PER_BATCH = 1_000;

    private BulkInsert() {
    }

    /** Inserts rows, each an array of values in the order of {@code fields}: COPY on PostgreSQL. */
    public static void insert(DSLContext tx, Table<?> table, List<? extends Field<?>> fields,
                              Collection<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (tx.dialect().family() == SQLDialect.POSTGRES) {
            // rows are encoded on every core; the one connection only streams the bytes
            List<byte[]> lines = rows.parallelStream().map(BulkInsert::csvRow).toList();
            java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream(
                    lines.stream().mapToInt(line -> line.length).sum());
            lines.forEach(line -> csv.write(line, 0, line.length));
            copy(tx, table.getName(), fields.stream().map(Field::getName).toList(), csv.toByteArray(), csv.size());
            return;
        }
        run(rows, () -> tx.insertInto(table).columns(fields)
                .values(fields.stream().<Field<?>>map(f -> DSL.val(null, f.getDataType())).toList()), tx);
    }

    /** Updates {@code fields} of the rows whose {@code key} is the last value of each array. */
    public static void update(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Field<?> key,
                              Collection<Object[]> rows) {
        Map<Field<?>, Field<?>> sets = new LinkedHashMap<>();
        fields.forEach(f -> sets.put(f, DSL.val(null, f.getDataType())));
        @SuppressWarnings("unchecked")
        Field<Object> keyField = (Field<Object>) key;
        run(rows, () -> tx.update(table).set(sets).where(keyField.eq(DSL.val(null, keyField.getDataType()))), tx);
    }

    /** One row of COPY's CSV format in UTF-8: null as an empty field, every value quoted (so "" is an empty string). */
    public static byte[] csvRow(Object[] row) {
        byte[][] values = new byte[row.length][];
        int size = row.length;
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v != null) {
                String text = v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString();
                if (text.indexOf('"') >= 0) {
                    text = text.replace("\"", "\"\"");
                }
                values[i] = text.getBytes(StandardCharsets.UTF_8);
                size += values[i].length + 2;
            }
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] bytes = values[i];
            if (bytes != null) {
                out[at++] = '"';
                System.arraycopy(bytes, 0, out, at, bytes.length);
                at += bytes.length;
                out[at++] = '"';
            }
        }
        out[at] = '\n';
        return out;
    }

    /** COPY of CSV rows already encoded as UTF-8 (made on other threads), inside the caller's transaction. */
    public static void copy(DSLContext tx, String table, List<String> columns, byte[] csv, int length) {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv, ENCODING 'UTF8')";
        tx.connection(connection -> {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                in.writeToCopy(csv, 0, length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
    }

    private static void run(Collection<Object[]> rows, Supplier<Query> statement, DSLContext tx) {
        BatchBindStep batch = null;
        int pending = 0;
        for (Object[] row : rows) {
            if (batch == null) {
                batch = tx.batch(statement.get());
            }
            batch = batch.bind(row);
            if (++pending == ROWS_PER_BATCH) {
                batch.execute();
                batch = null;
                pending = 0;
            }
        }
        if (batch != null) {
            batch.execute();
        }
    }
}
