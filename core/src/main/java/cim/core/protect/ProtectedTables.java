package cim.core.protect;

import org.jooq.Field;
import org.jooq.Table;

import java.util.List;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The tables that hold customer-information fields, each with the same columns: the channels' source records and
 * the golden records. (Quarantined raw rows are always sealed whole; audit events never hold tier-1 values.)
 */
final class ProtectedTables {
    /** A table with a numeric key to walk it in batches. */
    record Walk(Table<?> table, Field<Long> id) {
        Field<String> column(CustomerField field) {
            return table.field(field.column(), String.class);
        }
    }

    /** Golden records are keyed by code; this walks them by a numeric row id of their own. */
    static final List<Walk> ALL = List.of(
            new Walk(SOURCE_RECORD, SOURCE_RECORD.ID),
            new Walk(CUSTOMER, CUSTOMER.ROW_ID));

    private ProtectedTables() {
    }

    static Walk named(String name) {
        return ALL.stream().filter(w -> w.table().getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no protected table " + name));
    }
}
