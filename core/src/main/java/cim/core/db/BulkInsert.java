package cim.core.db;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts or updates many rows from plain value arrays: inserts by COPY on PostgreSQL, otherwise (and updates)
 * through one prepared statement and a JDBC batch. No per-row records, no statement rendered per row.
 */
public final class BulkInsert {
    private static final int ROWS_PER_BATCH = 1_000;
    private static final int COPY_MESSAGE_BYTES = 1 << 16;

    private BulkInsert() {
    }

    /** Inserts rows, each an array of values in the order of {@code fields}, as the database lands them fastest. */
    public static void insert(DSLContext tx, Table<?> table, List<? extends Field<?>> fields,
                              Collection<Object[]> rows) {
        if (!rows.isEmpty()) {
            Engine.of(tx).insert(tx, table, fields, rows);
        }
    }

    /** Inserts rows by batches of one prepared insert (where there is no COPY). */
    static void batch(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Collection<Object[]> rows) {
        run(rows, tx.insertInto(table).columns(fields)
                .values(fields.stream().<Field<?>>map(f -> DSL.val(null, f.getDataType())).toList()), tx);
    }

    /** Updates {@code fields} of the rows whose {@code key} is the last value of each array. */
    public static void update(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Field<?> key,
                              Collection<Object[]> rows) {
        Map<Field<?>, Field<?>> sets = new LinkedHashMap<>();
        fields.forEach(f -> sets.put(f, DSL.val(null, f.getDataType())));
        @SuppressWarnings("unchecked")
        Field<Object> keyField = (Field<Object>) key;
        run(rows, tx.update(table).set(sets).where(keyField.eq(DSL.val(null, keyField.getDataType()))), tx);
    }

    /**
     * COPY of rows already encoded by {@link CopyBinary} (made on other threads), one after the other, inside the
     * caller's transaction, in messages of up to 64 KiB (one per tuple would cost the server a message each; one
     * buffer of them all would be another copy of the chunk).
     */
    static void copy(DSLContext tx, String table, List<String> columns, List<byte[]> tuples) {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
        tx.connection(connection -> {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                in.writeToCopy(CopyBinary.HEADER, 0, CopyBinary.HEADER.length);
                byte[] message = new byte[COPY_MESSAGE_BYTES];
                int used = 0;
                for (byte[] tuple : tuples) {
                    if (used + tuple.length > message.length && used > 0) {
                        in.writeToCopy(message, 0, used);
                        used = 0;
                    }
                    if (tuple.length > message.length) {
                        in.writeToCopy(tuple, 0, tuple.length);
                    } else {
                        System.arraycopy(tuple, 0, message, used, tuple.length);
                        used += tuple.length;
                    }
                }
                if (used > 0) {
                    in.writeToCopy(message, 0, used);
                }
                in.writeToCopy(CopyBinary.TRAILER, 0, CopyBinary.TRAILER.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
    }

    /**
     * One prepared statement, rows bound straight through JDBC in batches (jOOQ's binding cost a third of an
     * embedded import); the SQL is rendered by jOOQ once, so dialect and quoting stay its.
     */
    private static void run(Collection<Object[]> rows, Query statement, DSLContext tx) {
        if (rows.isEmpty()) {
            return;
        }
        String sql = tx.render(statement);
        tx.connection(connection -> {
            try (PreparedStatement prepared = connection.prepareStatement(sql)) {
                int pending = 0;
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        prepared.setObject(i + 1, row[i]);
                    }
                    prepared.addBatch();
                    if (++pending == ROWS_PER_BATCH) {
                        prepared.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    prepared.executeBatch();
                }
            }
        });
    }
}
