package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.util.List;

import static cim.core.db.schema.Tables.CUSTOMER;

/**
 * Finds customers by the exact value of a searchable field (ID number, USCC, mobile, e-mail …) through the golden
 * record's blind index, so the lookup works whether the values are encrypted or not and never decrypts a table to
 * search it. Source records are reached from their customer (their own blind-index columns feed matching and are
 * not indexed: schema version 12).
 */
public final class ProtectedLookup {
    private final DSLContext dsl;
    private final FieldProtector protector;

    public ProtectedLookup(DSLContext dsl, FieldProtector protector) {
        this.dsl = dsl;
        this.protector = protector;
    }

    /** Codes of the customers (not merged away) whose golden field holds this value. */
    public List<String> customers(CustomerField field, String value) {
        Field<String> index = blindIndexColumn(CUSTOMER, field);
        return dsl.select(CUSTOMER.CODE).from(CUSTOMER)
                .where(index.eq(protector.blindIndex(field, value)).and(CUSTOMER.MERGED_INTO.isNull()))
                .orderBy(CUSTOMER.CODE).fetch(CUSTOMER.CODE);
    }

    private static Field<String> blindIndexColumn(org.jooq.Table<?> table, CustomerField field) {
        String column = field.blindIndexColumn().orElseThrow(() -> new CimException(Failure.USAGE,
                field + " cannot be searched by value", "search by id_number, uscc, org_code, business_licence, "
                        + "mobile, phone, email, wechat or qq"));
        return table.field(column, String.class);
    }
}
