package cim.core.codes;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.List;

import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** The import batches a {@code codes assign} run codes: their records in a query, and marking them coded after. */
final class Batches {
    /** Batches named one by one in a query; with more uncoded than this, a run reads up to the last of them. */
    private static final int MOST_LISTED = 1000;

    private Batches() {
    }

    /** The records of these batches (a list of more than are named one by one: up to the last of them). */
    static Condition condition(List<Long> batches) {
        return batches.isEmpty() ? DSL.falseCondition() : batches.size() <= MOST_LISTED
                ? SOURCE_RECORD.BATCH_ID.in(batches) : SOURCE_RECORD.BATCH_ID.le(batches.get(batches.size() - 1));
    }

    /** After a run (not --dry-run): every current record of these batches has its code now. */
    static void markCoded(DSLContext dsl, List<Long> batches) {
        OffsetDateTime now = OffsetDateTime.now();
        for (int from = 0; from < batches.size(); from += MOST_LISTED) {
            List<Long> slice = batches.subList(from, Math.min(batches.size(), from + MOST_LISTED));
            dsl.update(IMPORT_BATCH).set(IMPORT_BATCH.CODED_AT, now).where(IMPORT_BATCH.ID.in(slice)).execute();
        }
    }
}
