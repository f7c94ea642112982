package cim.core.audit;

import cim.core.json.Json;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;
import tools.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The events that touched a customer without naming it: a {@code codes assign} chunk names its first and last
 * source record (it takes records in id order), and an export of a whole scope names its filter. Read from the
 * events themselves, which the keyed chain covers, and from the customer's links, so they cost nothing to write.
 */
final class BulkEvents {
    private BulkEvents() {
    }

    static List<AuditEvent> touching(DSLContext dsl, String code, List<Condition> conditions) {
        Record2<String, OffsetDateTime> customer = dsl.select(CUSTOMER.CUSTOMER_TYPE, CUSTOMER.CREATED_AT)
                .from(CUSTOMER).where(CUSTOMER.CODE.eq(code)).fetchOne();
        if (customer == null) {
            return List.of();
        }
        // every version of every record ever linked to it
        List<Long> records = dsl.select(SOURCE_RECORD.ID).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                        .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY)))
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code)).orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.ID);
        List<AuditEvent> found = new ArrayList<>();
        dsl.selectFrom(AUDIT_EVENT).where(conditions)
                .and(AUDIT_EVENT.ACTION.eq("codes.assign").and(AUDIT_EVENT.OCCURRED_AT.ge(firstLinked(dsl, code)))
                        .or(AUDIT_EVENT.ACTION.eq("export").and(AUDIT_EVENT.SUBJECTS.isNull())
                                .and(AUDIT_EVENT.OCCURRED_AT.ge(customer.value2()))))
                .orderBy(AUDIT_EVENT.SEQ.desc()).fetch(AuditLog::toEvent).forEach(event -> {
                    JsonNode detail = event.detail() == null ? null : Json.MAPPER.readTree(event.detail());
                    if (detail != null && (event.action().equals("export") ? wholeScope(detail, customer.value1())
                            : holdsOne(detail, records))) {
                        found.add(event);
                    }
                });
        return found;
    }

    private static OffsetDateTime firstLinked(DSLContext dsl, String code) {
        OffsetDateTime first = dsl.select(org.jooq.impl.DSL.min(CUSTOMER_LINK.VALID_FROM)).from(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code)).fetchOne().value1();
        return first == null ? OffsetDateTime.now() : first.minusDays(1);
    }

    /** A chunk's record range [first_record, last_record] holds one of the records. */
    private static boolean holdsOne(JsonNode detail, List<Long> records) {
        if (!detail.has("first_record") || !detail.has("last_record")) {
            return false;
        }
        long first = detail.get("first_record").asLong();
        long last = detail.get("last_record").asLong();
        return records.stream().anyMatch(id -> id >= first && id <= last);
    }

    /** An export's filter ("scope=customer type=PERSON customers=…") covered every customer of the type. */
    private static boolean wholeScope(JsonNode detail, String type) {
        String filter = detail.path("filter").asString("");
        if (filter.isEmpty() || filter.contains("customers=")) {
            return false;
        }
        return !filter.contains(" type=") || filter.contains(" type=" + type);
    }
}
