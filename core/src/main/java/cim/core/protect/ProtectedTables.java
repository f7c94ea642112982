package cim.core.protect;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.util.List;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_CORRECTION;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The tables that hold customer-information fields, each with the same columns: the channels' source records,
 * the golden records and the steward's corrections. (Quarantined raw rows are always sealed whole; audit events never hold tier-1 values.)
 */
final class ProtectedTables {
    /**
     * A table with a numeric key to walk it in batches, and the columns that say which row each value is bound to
     * ({@link FieldProtector#row}).
     */
    record Walk(Table<?> table, Field<Long> id, List<Field<String>> identity) {
        Field<String> column(CustomerField field) {
            return table.field(field.column(), String.class);
        }

        /** The row a value of this field in a fetched row (with the {@link #identity} columns) is bound to. */
        String row(Record fetched, CustomerField field) {
            if (table == SOURCE_RECORD) {
                return FieldProtector.row(fetched.get(SOURCE_RECORD.SOURCE_SYSTEM), fetched.get(SOURCE_RECORD.SOURCE_KEY));
            }
            if (table == CUSTOMER_CORRECTION) {
                return FieldProtector.customerRow(fetched.get(CUSTOMER_CORRECTION.CODE));
            }
            return FieldProtector.goldenRows(fetched.get(CUSTOMER.PROVENANCE), fetched.get(CUSTOMER.CODE)).apply(field);
        }
    }

    static final List<Walk> ALL = List.of(
            new Walk(SOURCE_RECORD, SOURCE_RECORD.ID, List.of(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY)),
            // golden records are keyed by code; this walks them by a numeric row id of their own
            new Walk(CUSTOMER, CUSTOMER.ROW_ID, List.of(CUSTOMER.PROVENANCE, CUSTOMER.CODE)),
            // a steward's corrections, each sealed to its customer
            new Walk(CUSTOMER_CORRECTION, CUSTOMER_CORRECTION.ROW_ID, List.of(CUSTOMER_CORRECTION.CODE)));

    private ProtectedTables() {
    }

    static Walk named(String name) {
        return ALL.stream().filter(w -> w.table().getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no protected table " + name));
    }
}
