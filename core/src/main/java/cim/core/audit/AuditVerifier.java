package cim.core.audit;

import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record2;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_HEAD;

/**
 * Walks the whole chain in order and names the first event that does not fit: changed (its hash is wrong), deleted
 * (a gap in the sequence, or the head points past the last event) or inserted (the chain's links or head disagree).
 * Streams the events, so memory stays flat however long the trail.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /** The outcome: how many events were checked, and the first bad one (null when intact) with what is wrong. */
    public record Verification(long events, Long firstBad, String problem) {
        public boolean ok() {
            return firstBad == null;
        }
    }

    public static Verification verify(DSLContext dsl) {
        Record2<Long, String> head = dsl.select(AUDIT_HEAD.LAST_SEQ, AUDIT_HEAD.LAST_HASH)
                .from(AUDIT_HEAD).where(AUDIT_HEAD.ID.eq((short) 1)).fetchSingle();
        long expectedSeq = 1;
        String prevHash = AuditChain.GENESIS;
        long checked = 0;
        try (Cursor<Record> events = dsl.select().from(AUDIT_EVENT).orderBy(AUDIT_EVENT.SEQ).fetchSize(1000)
                .fetchLazy()) {
            for (Record record : events) {
                AuditEvent event = AuditLog.toEvent(record);
                checked++;
                if (event.seq() != expectedSeq) {
                    return event.seq() > expectedSeq
                            ? bad(checked, expectedSeq, "event " + expectedSeq + " is missing (deleted)")
                            : bad(checked, event.seq(), "event " + event.seq() + " is out of sequence (inserted)");
                }
                if (!event.prevHash().equals(prevHash)) {
                    return bad(checked, event.seq(), "event " + event.seq()
                            + " does not follow the event before it (an event was changed, deleted or inserted)");
                }
                String recomputed = AuditChain.hash(prevHash, event);
                if (!recomputed.equals(event.hash())) {
                    return bad(checked, event.seq(), "event " + event.seq() + " was changed after it was written");
                }
                prevHash = event.hash();
                expectedSeq++;
            }
        }
        long last = expectedSeq - 1;
        if (head.value1() > last) {
            return bad(checked, last + 1, "event " + (last + 1) + " and any after it are missing (deleted)");
        }
        if (head.value1() < last) {
            return bad(checked, head.value1() + 1, "event " + (head.value1() + 1)
                    + " is not in the chain's head (inserted)");
        }
        if (!head.value2().equals(prevHash)) {
            return bad(checked, last, "event " + last + " does not match the chain's head (changed)");
        }
        return new Verification(checked, null, null);
    }

    private static Verification bad(long checked, long seq, String problem) {
        return new Verification(checked, seq, problem);
    }
}
