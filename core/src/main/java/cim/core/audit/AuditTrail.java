package cim.core.audit;

import cim.core.json.Json;
import org.jooq.DSLContext;
import org.jooq.Record2;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_HEAD;
import static cim.core.db.schema.Tables.AUDIT_SUBJECT;

/**
 * Appends events to the audit trail. Call {@link #append} inside the transaction of the change it records, so that
 * the change and its event commit together or not at all. Appenders serialise on the chain's head row, so any
 * number of processes can append at once and the chain stays whole.
 */
public final class AuditTrail {
    static final String SUBJECT_SEPARATOR = ",";

    private final AuditContext context;

    public AuditTrail(AuditContext context) {
        this.context = context;
    }

    public AuditContext context() {
        return context;
    }

    /** Appends one event in the caller's transaction and returns it as stored. */
    public AuditEvent append(DSLContext tx, AuditEntry entry) {
        Record2<Long, String> head = tx.select(AUDIT_HEAD.LAST_SEQ, AUDIT_HEAD.LAST_HASH)
                .from(AUDIT_HEAD)
                .where(AUDIT_HEAD.ID.eq((short) 1))
                .forUpdate()
                .fetchSingle();
        long seq = head.value1() + 1;
        List<String> subjects = entry.subjects().stream().distinct().sorted().toList();
        AuditEvent unsigned = new AuditEvent(seq, AuditChain.truncate(Instant.now()), context.actor(),
                context.osUser(), context.host(), entry.action(), entry.objectType(), entry.objectId(), subjects,
                entry.rowCount(), entry.reason(), context.commandLine(), Json.write(entry.detail()), head.value2(),
                null);
        String hash = AuditChain.hash(head.value2(), unsigned);
        tx.insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.SEQ, seq)
                .set(AUDIT_EVENT.OCCURRED_AT, unsigned.occurredAt().atOffset(ZoneOffset.UTC))
                .set(AUDIT_EVENT.ACTOR, unsigned.actor())
                .set(AUDIT_EVENT.OS_USER, unsigned.osUser())
                .set(AUDIT_EVENT.HOST, unsigned.host())
                .set(AUDIT_EVENT.ACTION, unsigned.action())
                .set(AUDIT_EVENT.OBJECT_TYPE, unsigned.objectType())
                .set(AUDIT_EVENT.OBJECT_ID, unsigned.objectId())
                .set(AUDIT_EVENT.SUBJECTS, subjects.isEmpty() ? null : String.join(SUBJECT_SEPARATOR, subjects))
                .set(AUDIT_EVENT.ROW_COUNT, unsigned.rowCount())
                .set(AUDIT_EVENT.REASON, unsigned.reason())
                .set(AUDIT_EVENT.COMMAND_LINE, unsigned.commandLine())
                .set(AUDIT_EVENT.DETAIL, unsigned.detail())
                .set(AUDIT_EVENT.PREV_HASH, unsigned.prevHash())
                .set(AUDIT_EVENT.HASH, hash)
                .execute();
        for (String code : subjects) {
            tx.insertInto(AUDIT_SUBJECT).set(AUDIT_SUBJECT.CUSTOMER_CODE, code).set(AUDIT_SUBJECT.SEQ, seq).execute();
        }
        tx.update(AUDIT_HEAD)
                .set(AUDIT_HEAD.LAST_SEQ, seq)
                .set(AUDIT_HEAD.LAST_HASH, hash)
                .where(AUDIT_HEAD.ID.eq((short) 1))
                .execute();
        return new AuditEvent(seq, unsigned.occurredAt(), unsigned.actor(), unsigned.osUser(), unsigned.host(),
                unsigned.action(), unsigned.objectType(), unsigned.objectId(), subjects, unsigned.rowCount(),
                unsigned.reason(), unsigned.commandLine(), unsigned.detail(), unsigned.prevHash(), hash);
    }
}
