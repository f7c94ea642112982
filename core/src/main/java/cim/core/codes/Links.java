package cim.core.codes;

import org.jooq.Condition;

import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** How a source record meets its customer: through customer_link on the record's channel and key. */
public final class Links {
    private Links() {
    }

    /** The record's links, past and current (each version of a record shares its channel and key). */
    public static Condition ofRecord() {
        return CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY));
    }

    /** The record's current link: the one its customer code is read from. */
    public static Condition currentOfRecord() {
        return ofRecord().and(CUSTOMER_LINK.VALID_TO.isNull());
    }
}
