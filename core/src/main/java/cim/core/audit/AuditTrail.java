package cim.core.audit;

import cim.core.db.Engine;
import cim.core.json.Json;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record5;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_HEAD;
import static cim.core.db.schema.Tables.AUDIT_SUBJECT;

/**
 * Appends events to the audit trail. Call {@link #append} inside the transaction of the change it records, so that
 * the change and its event commit together or not at all. Appenders serialise on the chain's head row, so any
 * number of processes can append at once and the chain stays whole. Each link is keyed with the audit key. On
 * PostgreSQL the head is read through the owner's {@code cim_audit_head()} and moved by the insert's trigger, which
 * checks that the event follows it: a runtime role appends, and can neither write the head nor rewrite an event.
 */
public final class AuditTrail {
    static final String SUBJECT_SEPARATOR = ",";

    private final AuditContext context;
    private final Supplier<AuditKey> key;
    private final Consumer<DSLContext> guard;

    public AuditTrail(AuditContext context, AuditKey key) {
        this(context, () -> key);
        Objects.requireNonNull(key);
    }

    /**
     * A trail whose key is asked for at the first append: a command that may append nothing (a dry run) then
     * needs no keyset.
     */
    public AuditTrail(AuditContext context, Supplier<AuditKey> key) {
        this(context, key, tx -> { });
    }

    private AuditTrail(AuditContext context, Supplier<AuditKey> key, Consumer<DSLContext> guard) {
        this.context = Objects.requireNonNull(context);
        this.key = Objects.requireNonNull(key);
        this.guard = Objects.requireNonNull(guard);
    }

    /**
     * This trail with a check that every append runs in its transaction once it holds the chain's head, and that
     * may refuse the transaction (by throwing). Appenders serialise on the head, so the check sees every change an
     * earlier appender committed: a keyset's primary key still being the database's, for one.
     */
    public AuditTrail guardedBy(Consumer<DSLContext> check) {
        return new AuditTrail(context, key, check);
    }

    /** This trail without its guard: for the one change that the guard would refuse, a key rotation's own. */
    public AuditTrail unguarded() {
        return new AuditTrail(context, key);
    }

    public AuditContext context() {
        return context;
    }

    /** The audit key (asked for now): it also signs what the trail vouches for, such as the tier registry. */
    public AuditKey key() {
        return Objects.requireNonNull(key.get(), "audit key");
    }

    /** Appends one event in the caller's transaction and returns it as stored. */
    public AuditEvent append(DSLContext tx, AuditEntry entry) {
        AuditKey linkKey = Objects.requireNonNull(key.get(), "audit key");
        boolean roles = Engine.of(tx).hasRoles();
        Record5<Long, String, String, String, OffsetDateTime> head = roles
                // the owner's function locks the head: a runtime role may not write audit_head; and the event's
                // time is the server's, which the insert's trigger checks (see schema 15.1)
                ? tx.select(DSL.field(DSL.name("last_seq"), Long.class), DSL.field(DSL.name("last_hash"), String.class),
                        sessionUser(tx), clientAddress(tx), DSL.field("clock_timestamp()", OffsetDateTime.class))
                        .from("cim_audit_head()").fetchSingle()
                : tx.select(AUDIT_HEAD.LAST_SEQ, AUDIT_HEAD.LAST_HASH, sessionUser(tx), clientAddress(tx),
                                DSL.inline((OffsetDateTime) null))
                        .from(AUDIT_HEAD)
                        .where(AUDIT_HEAD.ID.eq((short) 1))
                        .forUpdate()
                        .fetchSingle();
        guard.accept(tx);
        Instant now = head.value5() != null ? head.value5().toInstant() : Instant.now();
        long seq = head.value1() + 1;
        List<String> subjects = entry.subjects().stream().distinct().sorted().toList();
        AuditEvent unsigned = new AuditEvent(seq, AuditChain.truncate(now), context.actor(),
                context.osUser(), context.host(), head.value3(), head.value4(), entry.action(), entry.objectType(),
                entry.objectId(), subjects, entry.rowCount(), entry.reason(), context.commandLine(),
                Json.write(entry.detail()), true, head.value2(), null);
        String link = AuditChain.link(linkKey, head.value2(), unsigned);
        tx.insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.SEQ, seq)
                .set(AUDIT_EVENT.OCCURRED_AT, unsigned.occurredAt().atOffset(ZoneOffset.UTC))
                .set(AUDIT_EVENT.ACTOR, unsigned.actor())
                .set(AUDIT_EVENT.OS_USER, unsigned.osUser())
                .set(AUDIT_EVENT.HOST, unsigned.host())
                .set(AUDIT_EVENT.DB_USER, unsigned.dbUser())
                .set(AUDIT_EVENT.CLIENT_ADDR, unsigned.clientAddr())
                .set(AUDIT_EVENT.ACTION, unsigned.action())
                .set(AUDIT_EVENT.OBJECT_TYPE, unsigned.objectType())
                .set(AUDIT_EVENT.OBJECT_ID, unsigned.objectId())
                .set(AUDIT_EVENT.SUBJECTS, subjects.isEmpty() ? null : String.join(SUBJECT_SEPARATOR, subjects))
                .set(AUDIT_EVENT.ROW_COUNT, unsigned.rowCount())
                .set(AUDIT_EVENT.REASON, unsigned.reason())
                .set(AUDIT_EVENT.COMMAND_LINE, unsigned.commandLine())
                .set(AUDIT_EVENT.DETAIL, unsigned.detail())
                .set(AUDIT_EVENT.KEYED, true)
                .set(AUDIT_EVENT.PREV_HASH, unsigned.prevHash())
                .set(AUDIT_EVENT.HASH, link)
                .execute();
        for (String code : subjects) {
            tx.insertInto(AUDIT_SUBJECT).set(AUDIT_SUBJECT.CUSTOMER_CODE, code).set(AUDIT_SUBJECT.SEQ, seq).execute();
        }
        if (!roles) {
            // on PostgreSQL the insert's trigger moved the head, having checked that the event follows it
            tx.update(AUDIT_HEAD)
                    .set(AUDIT_HEAD.LAST_SEQ, seq)
                    .set(AUDIT_HEAD.LAST_HASH, link)
                    .where(AUDIT_HEAD.ID.eq((short) 1))
                    .execute();
        }
        return new AuditEvent(seq, unsigned.occurredAt(), unsigned.actor(), unsigned.osUser(), unsigned.host(),
                unsigned.dbUser(), unsigned.clientAddr(), unsigned.action(), unsigned.objectType(),
                unsigned.objectId(), subjects, unsigned.rowCount(), unsigned.reason(), unsigned.commandLine(),
                unsigned.detail(), true, unsigned.prevHash(), link);
    }

    /** The role the server knows the session by: what the client cannot choose (--actor can). */
    private static Field<String> sessionUser(DSLContext tx) {
        return DSL.field("session_user", String.class);
    }

    /** The client's address as the server sees it; none on the embedded database (or over a Unix socket). */
    private static Field<String> clientAddress(DSLContext tx) {
        return Engine.of(tx).hasRoles()
                ? DSL.field("host(inet_client_addr())", String.class)
                : DSL.inline((String) null);
    }
}
