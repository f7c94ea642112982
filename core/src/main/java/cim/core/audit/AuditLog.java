package cim.core.audit;

import cim.core.db.Profiles;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_SUBJECT;

/** Reads the audit trail: the newest events first, filtered by customer, actor, action and time. */
public final class AuditLog {
    private AuditLog() {
    }

    /**
     * The trail as {@code audit log} shows it: only to a role whose profile may read it (auditor or admin; exit 77
     * for any other), then as {@link #find} gives it.
     */
    public static List<AuditEvent> read(DSLContext dsl, AuditFilter filter) {
        Profiles.require(dsl, "audit log", Profiles.Profile.AUDITOR, Profiles.Profile.ADMIN);
        return find(dsl, filter);
    }

    /**
     * The events that match the filter. With a customer, that is the events naming it, and the bulk events that name
     * nobody yet touched it (naming a million customers per event would cost more than the run): the chunks of
     * {@code codes assign} whose record range holds one of its records, and the exports of a whole scope (no
     * {@code --customer}; of its type, if one was given) made after it was created.
     */
    public static List<AuditEvent> find(DSLContext dsl, AuditFilter filter) {
        List<Condition> conditions = new ArrayList<>();
        if (filter.actor() != null) {
            conditions.add(AUDIT_EVENT.ACTOR.eq(filter.actor()));
        }
        if (filter.action() != null) {
            conditions.add(filter.action().endsWith("*")
                    ? AUDIT_EVENT.ACTION.startsWith(filter.action().substring(0, filter.action().length() - 1))
                    : AUDIT_EVENT.ACTION.eq(filter.action()));
        }
        if (filter.since() != null) {
            conditions.add(AUDIT_EVENT.OCCURRED_AT.ge(filter.since().atOffset(ZoneOffset.UTC)));
        }
        if (filter.until() != null) {
            conditions.add(AUDIT_EVENT.OCCURRED_AT.lt(filter.until().atOffset(ZoneOffset.UTC)));
        }
        if (filter.customer() == null) {
            return dsl.selectFrom(AUDIT_EVENT).where(conditions).orderBy(AUDIT_EVENT.SEQ.desc()).limit(filter.limit())
                    .fetch(AuditLog::toEvent);
        }
        List<AuditEvent> named = dsl.selectFrom(AUDIT_EVENT).where(conditions)
                .and(AUDIT_EVENT.SEQ.in(DSL.select(AUDIT_SUBJECT.SEQ).from(AUDIT_SUBJECT)
                        .where(AUDIT_SUBJECT.CUSTOMER_CODE.eq(filter.customer()))))
                .orderBy(AUDIT_EVENT.SEQ.desc()).limit(filter.limit()).fetch(AuditLog::toEvent);
        List<AuditEvent> bulk = BulkEvents.touching(dsl, filter.customer(), conditions);
        if (bulk.isEmpty()) {
            return named;
        }
        List<AuditEvent> all = new ArrayList<>(named);
        all.addAll(bulk);
        all.sort(Comparator.comparingLong(AuditEvent::seq).reversed());
        return all.subList(0, Math.min(all.size(), filter.limit()));
    }

    static AuditEvent toEvent(Record r) {
        String subjects = r.get(AUDIT_EVENT.SUBJECTS);
        return new AuditEvent(r.get(AUDIT_EVENT.SEQ), r.get(AUDIT_EVENT.OCCURRED_AT).toInstant(),
                r.get(AUDIT_EVENT.ACTOR), r.get(AUDIT_EVENT.OS_USER), r.get(AUDIT_EVENT.HOST),
                r.get(AUDIT_EVENT.DB_USER), r.get(AUDIT_EVENT.CLIENT_ADDR), r.get(AUDIT_EVENT.ACTION), r.get(AUDIT_EVENT.OBJECT_TYPE), r.get(AUDIT_EVENT.OBJECT_ID),
                subjects == null ? List.of() : Arrays.asList(subjects.split(AuditTrail.SUBJECT_SEPARATOR)),
                r.get(AUDIT_EVENT.ROW_COUNT), r.get(AUDIT_EVENT.REASON), r.get(AUDIT_EVENT.COMMAND_LINE),
                r.get(AUDIT_EVENT.DETAIL), Boolean.TRUE.equals(r.get(AUDIT_EVENT.KEYED)), r.get(AUDIT_EVENT.PREV_HASH),
                r.get(AUDIT_EVENT.HASH));
    }
}
