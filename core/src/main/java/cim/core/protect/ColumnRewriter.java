package cim.core.protect;

import cim.core.db.Engine;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the values of some columns of one table in batches ordered by id, each batch one transaction that also
 * records where it got to, so that a killed run resumes where it stopped. Only values that change are written,
 * with one set-based statement per column and batch (UPDATE … FROM VALUES; MERGE on H2, which lacks it).
 */
final class ColumnRewriter {
    /** Called inside each batch's transaction with the last id done and how many values changed in the batch. */
    interface Checkpoint {
        void save(DSLContext tx, long lastId, long changed);
    }

    private ColumnRewriter() {
    }

    /** A stored value to its new one; returning the same string means no change. */
    interface Transform {
        /**
         * @param row    the fetched row: its id, the columns rewritten and the {@code context} columns
         * @param column the column of the value
         */
        String apply(Record row, Field<String> column, String stored);
    }

    /**
     * @param context   columns read with each row for the transform (those that say which record a value is bound to)
     * @return how many values changed
     */
    static long rewrite(DSLContext dsl, Table<?> table, Field<Long> id, List<Field<String>> columns,
                        List<? extends Field<?>> context, Transform transform, long after, int batchSize,
                        Checkpoint checkpoint) {
        long total = 0;
        long last = after;
        while (true) {
            long from = last;
            Batch result = dsl.transactionResult(tx -> batch(tx.dsl(), table, id, columns, context, transform,
                    from, batchSize, checkpoint));
            total += result.changed();
            if (result.lastId() == from) {
                return total;
            }
            last = result.lastId();
        }
    }

    /** A batch rewritten: its last id ({@code after} when nothing was left), and the values it changed. */
    private record Batch(long lastId, long changed) { }

    private static Batch batch(DSLContext tx, Table<?> table, Field<Long> id, List<Field<String>> columns,
                                List<? extends Field<?>> context, Transform transform, long after, int batchSize,
                                Checkpoint checkpoint) {
        List<Field<?>> selected = new ArrayList<>(columns);
        selected.add(0, id);
        context.stream().filter(c -> !selected.contains(c)).forEach(selected::add);
        List<Record> rows = tx.select(selected).from(table).where(id.gt(after)).orderBy(id).limit(batchSize)
                .forUpdate().fetch();
        if (rows.isEmpty()) {
            return new Batch(after, 0);
        }
        long changed = 0;
        for (Field<String> column : columns) {
            List<Row2<Long, String>> updates = rows.parallelStream()
                    .map(r -> {
                        String stored = r.get(column);
                        String rewritten = stored == null ? null : transform.apply(r, column, stored);
                        return rewritten == null || rewritten.equals(stored) ? null : DSL.row(r.get(id), rewritten);
                    })
                    .filter(java.util.Objects::nonNull)
                    .toList();
            if (!updates.isEmpty()) {
                write(tx, table, id, column, updates);
                changed += updates.size();
            }
        }
        long last = rows.get(rows.size() - 1).get(id);
        checkpoint.save(tx, last, changed);
        return new Batch(last, changed);
    }

    @SuppressWarnings("unchecked")
    private static void write(DSLContext tx, Table<?> table, Field<Long> id, Field<String> column,
                              List<Row2<Long, String>> updates) {
        Table<?> v = DSL.values(updates.toArray(Row2[]::new)).as("v", "id", "val");
        Engine.of(tx).updateFromValues(tx, table, id, column, v);
    }
}
