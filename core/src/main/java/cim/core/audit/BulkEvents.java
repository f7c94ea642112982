package cim.core.audit;

import cim.core.CustomerType;
import cim.core.codes.Links;
import cim.core.json.Json;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import tools.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        // every version of every record ever linked to it, with its type and batch
        List<Record3<Long, String, Long>> records = dsl.select(SOURCE_RECORD.ID, SOURCE_RECORD.CUSTOMER_TYPE,
                        SOURCE_RECORD.BATCH_ID)
                .from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(Links.ofRecord())
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code)).orderBy(SOURCE_RECORD.ID).fetch();
        List<Long> ids = records.stream().map(Record3::value1).toList();
        Set<String> recordTypes = new HashSet<>();
        records.forEach(r -> recordTypes.add(CustomerType.of(r.value2()).name()));
        // the trail's order, not its clocks, says what came after what: a whole export of source records held the
        // customer's from the import of the first of them, of golden records from the run that linked it
        Long firstImport = dsl.select(DSL.min(AUDIT_EVENT.SEQ)).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.ACTION.eq("import").and(AUDIT_EVENT.OBJECT_TYPE.eq("batch"))
                        .and(AUDIT_EVENT.OBJECT_ID.in(records.stream().map(r -> String.valueOf(r.value3()))
                                .distinct().toList())))
                .fetchOne().value1();
        List<AuditEvent> candidates = dsl.selectFrom(AUDIT_EVENT).where(conditions)
                .and(AUDIT_EVENT.ACTION.eq("codes.assign").and(AUDIT_EVENT.OCCURRED_AT.ge(firstLinked(dsl, code)))
                        .or(AUDIT_EVENT.ACTION.eq("export").and(AUDIT_EVENT.SUBJECTS.isNull())
                                .and(firstImport == null ? AUDIT_EVENT.OCCURRED_AT.ge(customer.value2().minusDays(1))
                                        : AUDIT_EVENT.SEQ.gt(firstImport))))
                .orderBy(AUDIT_EVENT.SEQ.desc()).fetch(AuditLog::toEvent);
        List<AuditEvent> found = new ArrayList<>();
        long firstAssign = Long.MAX_VALUE;
        for (AuditEvent event : candidates) {
            if (event.action().equals("codes.assign") && event.detail() != null
                    && holdsOne(Json.MAPPER.readTree(event.detail()), ids)) {
                firstAssign = Math.min(firstAssign, event.seq());
                found.add(event);
            }
        }
        for (AuditEvent event : candidates) {
            if (event.action().equals("export") && event.detail() != null && wholeScope(
                    Json.MAPPER.readTree(event.detail()), event, customer, recordTypes, firstAssign)) {
                found.add(event);
            }
        }
        found.sort(Comparator.comparingLong(AuditEvent::seq).reversed());
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

    /**
     * An export's filter ("scope=customer type=PERSON customers=…") covered the customer: a whole scope, of its
     * type (for source records, the type one of its records has); golden records only once a run had linked it
     * (the caller passes only source exports made after its first import).
     */
    private static boolean wholeScope(JsonNode detail, AuditEvent event, Record2<String, OffsetDateTime> customer,
                                      Set<String> recordTypes, long firstAssign) {
        String filter = detail.path("filter").asString("");
        if (filter.isEmpty() || filter.contains("customers=")) {
            return false;
        }
        boolean source = filter.startsWith("scope=source");
        if (!source && (firstAssign == Long.MAX_VALUE ? event.occurredAt().isBefore(customer.value2().toInstant())
                : event.seq() < firstAssign)) {
            return false;
        }
        if (!filter.contains(" type=")) {
            return true;
        }
        return source ? recordTypes.stream().anyMatch(t -> filter.contains(" type=" + t))
                : filter.contains(" type=" + customer.value1());
    }
}
