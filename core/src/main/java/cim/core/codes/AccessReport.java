package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Engine;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerEventRecord;
import cim.core.db.schema.tables.records.CustomerLinkRecord;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.io.AtomicFile;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_SUBJECT;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_CORRECTION;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * Everything held about one customer, for an access request (PIPL Art. 45, {@code cim codes report}): the golden
 * record and where each value came from, every current source record with its channel, branch and collection time,
 * the values a steward corrected, relations, the quality findings on its records, its history, and who used its data
 * and why (the audit events that name it or a code merged into it, and the exports of every customer made while it
 * had a code). Values are in
 * clear: the report is for the customer. Written as JSON, owner-only, whole or not at all; audited as a reveal.
 */
public final class AccessReport {
    private final DSLContext dsl;
    private final AuditTrail audit;
    private final FieldProtector protector;

    public AccessReport(DSLContext dsl, AuditTrail audit, FieldProtector protector) {
        Profiles.require(dsl, "a customer's access report", Profiles.Profile.STEWARD);
        this.dsl = dsl;
        this.audit = audit;
        this.protector = protector;
    }

    /** What the report held: the customer, the file and its hash, how many records and uses it lists. */
    public record Written(String code, String file, String sha256, int records, int uses) { }

    public Written write(CustomerCode asked, Path out, String reason) {
        String outName = out.toString();
        if (reason == null || reason.isBlank()) {
            throw new CimException(Failure.USAGE, "an access report needs --reason", "name the customer's request "
                    + "(its reference); it is kept in the audit trail");
        }
        CodeLookup.View view = new CodeLookup(dsl).show(asked);
        CustomerRecord customer = view.customer();
        String code = customer.getCode();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("customer", code);
        report.put("asked", asked.value());
        report.put("generated_at", OffsetDateTime.now().toString());
        report.put("type", customer.getCustomerType());
        report.put("status", customer.getStatus());
        report.put("restricted_at", text(customer.getRestrictedAt()));
        report.put("erased_at", text(customer.getErasedAt()));
        List<String> linked = view.links().stream().filter(l -> l.getValidTo() == null)
                .map(l -> FieldProtector.row(l.getSourceSystem(), l.getSourceKey())).toList();
        report.put("golden_record", values(customer, FieldProtector.goldenRows(customer.getProvenance(), code,
                linked)));
        report.put("provenance", view.provenance());
        Record correctedRow = dsl.selectFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.eq(code))
                .fetchOne();
        report.put("corrected_fields", correctedRow == null ? List.of() : List.copyOf(values(correctedRow,
                f -> FieldProtector.customerRow(code)).keySet()));
        List<Map<String, Object>> records = records(view);
        report.put("records", records);
        report.put("relations", Relations.of(dsl, code).stream().map(r -> Map.of("type", r.type(), "customer",
                r.code())).toList());
        report.put("named_in_relations_by", Relations.pointingAt(dsl, code, null).stream().map(r -> Map.of("type",
                r.type(), "customer", r.code())).toList());
        report.put("history", view.events().stream().map(AccessReport::event).toList());
        List<Map<String, Object>> uses = uses(code);
        report.put("uses", uses);
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
        try (AtomicFile file = AtomicFile.create(out)) {
            file.write(json);
            file.finish();
            String sha = file.sha256();
            dsl.transaction(tx -> audit.append(tx.dsl(), AuditEntry.of("codes.report").object("file", outName)
                    .subjects(List.of(code)).reason(reason).rows(records.size()).detail(Map.of("reveal", true,
                            "mask", "none", "file_sha256", sha, "uses", uses.size()))));
            file.publish();
            return new Written(code, outName, sha, records.size(), uses.size());
        }
    }

    private List<Map<String, Object>> records(CodeLookup.View view) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (CustomerLinkRecord link : view.links()) {
            if (link.getValidTo() != null) {
                continue;
            }
            SourceRecordRecord record = dsl.selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_SYSTEM
                    .eq(link.getSourceSystem()).and(SOURCE_RECORD.SOURCE_KEY.eq(link.getSourceKey()))
                    .and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetchOne();
            if (record == null) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source_system", record.getSourceSystem());
            entry.put("source_key", record.getSourceKey());
            entry.put("version", record.getVersion());
            entry.put("branch", record.getBranch());
            entry.put("collected_at", text(record.getCollectedAt()));
            entry.put("loaded_at", text(record.getLoadedAt()));
            entry.put("linked_at", text(link.getValidFrom()));
            entry.put("linked_by", link.getRule());
            String row = FieldProtector.row(record.getSourceSystem(), record.getSourceKey());
            entry.put("values", values(record, f -> row));
            entry.put("quality_findings", record.getIssues() == null ? Map.of() : Json.readMap(record.getIssues()));
            records.add(entry);
        }
        return records;
    }

    /** A row's field values in clear; a value that does not open is reported as such, never guessed. */
    private Map<String, Object> values(Record row, Function<CustomerField, String> boundTo) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (CustomerField field : CustomerField.values()) {
            String stored = row.get(field.column(), String.class);
            if (stored == null) {
                continue;
            }
            try {
                values.put(field.column(), protector.open(field, boundTo.apply(field), stored));
            } catch (FieldProtector.Unreadable e) {
                values.put(field.column(), "(does not open: " + e.getMessage() + ")");
            }
        }
        return values;
    }

    private static Map<String, Object> event(CustomerEventRecord event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", text(event.getOccurredAt()));
        entry.put("action", event.getAction());
        entry.put("other_customer", event.getOtherCode());
        entry.put("actor", event.getActor());
        entry.put("reason", event.getReason());
        entry.put("detail", event.getDetail() == null ? null : Json.readMap(event.getDetail()));
        return entry;
    }

    /**
     * The audit events that name the customer, and every export of all customers since it had a code. On PostgreSQL
     * through the owner's function: a steward may not read the trail itself.
     */
    private List<Map<String, Object>> uses(String code) {
        List<String> codes = dsl.select(CUSTOMER.CODE).from(CUSTOMER).where(CUSTOMER.CODE.eq(code)
                .or(CUSTOMER.MERGED_INTO.eq(code))).fetch(CUSTOMER.CODE);
        OffsetDateTime since = dsl.select(org.jooq.impl.DSL.min(CUSTOMER.CREATED_AT)).from(CUSTOMER)
                .where(CUSTOMER.CODE.in(codes)).fetchOne(0, OffsetDateTime.class);
        List<? extends Record> events;
        if (Engine.of(dsl).hasRoles()) {
            events = dsl.resultQuery("SELECT seq, occurred_at, actor, action, object_type, object_id, row_count, "
                    + "reason, detail FROM cim_customer_uses(?)", code).fetch();
        } else {
            events = dsl.select(AUDIT_EVENT.SEQ, AUDIT_EVENT.OCCURRED_AT, AUDIT_EVENT.ACTOR, AUDIT_EVENT.ACTION,
                            AUDIT_EVENT.OBJECT_TYPE, AUDIT_EVENT.OBJECT_ID, AUDIT_EVENT.ROW_COUNT, AUDIT_EVENT.REASON,
                            AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.SEQ.in(org.jooq.impl.DSL.select(AUDIT_SUBJECT.SEQ).from(AUDIT_SUBJECT)
                                    .where(AUDIT_SUBJECT.CUSTOMER_CODE.in(codes)))
                            .or(AUDIT_EVENT.ACTION.eq("export").and(AUDIT_EVENT.OCCURRED_AT.ge(since))
                                    .andNotExists(org.jooq.impl.DSL.selectOne().from(AUDIT_SUBJECT)
                                            .where(AUDIT_SUBJECT.SEQ.eq(AUDIT_EVENT.SEQ)))))
                    .orderBy(AUDIT_EVENT.SEQ).fetch();
        }
        List<Map<String, Object>> uses = new ArrayList<>();
        for (Record event : events) {
            Map<String, Object> use = new LinkedHashMap<>();
            use.put("seq", event.get(0, Long.class));
            use.put("at", text(event.get(1, OffsetDateTime.class)));
            use.put("actor", event.get(2, String.class));
            use.put("action", event.get(3, String.class));
            String objectType = event.get(4, String.class);
            use.put("object", objectType == null ? null : objectType + " " + event.get(5, String.class));
            use.put("rows", event.get(6, Long.class));
            use.put("reason", event.get(7, String.class));
            Map<String, Object> detail = detail(event.get(8, String.class));
            use.put("unmasked", Boolean.TRUE.equals(detail.get("reveal")) || "none".equals(detail.get("mask")));
            use.put("purpose", detail.get("purpose"));
            String action = event.get(3, String.class);
            // an export whose filter names no customers was of every customer there was
            use.put("scope", "codes.find".equals(action) ? "lookup by " + detail.get("field")
                    : "export".equals(action) && !String.valueOf(detail.get("filter")).contains("customers=")
                            ? "every customer" : "this customer");
            uses.add(use);
        }
        return uses;
    }

    private static Map<String, Object> detail(String json) {
        try {
            return json == null ? Map.of() : Json.readMap(json);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }
}
