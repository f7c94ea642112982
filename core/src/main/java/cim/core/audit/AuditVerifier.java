package cim.core.audit;

import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.impl.DSL;

import java.sql.Connection;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.AUDIT_HEAD;
import static cim.core.db.schema.Tables.AUDIT_SUBJECT;

/**
 * Walks the whole chain in order and names the first event that does not fit: changed (its link is wrong under
 * the audit key), deleted (a gap in the sequence, or the head points past the last event), inserted (the chain's
 * links or head disagree), or with its customers changed in audit_subject. With an anchor it also checks that the
 * chain still holds the anchored head. Streams events and subjects side by side, so memory stays flat.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /**
     * The outcome: events checked, how many of them have legacy (unkeyed) links, the head, and the first bad event
     * (null when intact) with what is wrong.
     */
    public record Verification(long events, long unkeyed, long headSeq, String headLink, Long firstBad,
                               String problem) {
        public boolean ok() {
            return firstBad == null;
        }
    }

    public static Verification verify(DSLContext dsl, AuditKey key) {
        return verify(dsl, key, null);
    }

    /**
     * Verifies the chain, and with an anchor that the anchor is authentic under the key and still in the chain. Reads
     * one snapshot (a read-only repeatable-read transaction), so that appends meanwhile raise no false alarm.
     */
    public static Verification verify(DSLContext dsl, AuditKey key, AuditAnchor anchor) {
        if (anchor != null && !anchor.authentic(key)) {
            return new Verification(0, 0, 0, null, Math.max(anchor.seq(), 1),
                    "the anchor was changed, or was not written with this keyset");
        }
        return dsl.connectionResult(connection -> {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                return walk(DSL.using(connection, dsl.dialect(), dsl.settings()), key, anchor);
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    private static Verification walk(DSLContext dsl, AuditKey key, AuditAnchor anchor) {
        Record2<Long, String> head = dsl.select(AUDIT_HEAD.LAST_SEQ, AUDIT_HEAD.LAST_HASH)
                .from(AUDIT_HEAD).where(AUDIT_HEAD.ID.eq((short) 1)).fetchSingle();
        Walk walk = new Walk(head.value1(), head.value2());
        try (Cursor<Record> events = dsl.select().from(AUDIT_EVENT).orderBy(AUDIT_EVENT.SEQ).fetchSize(1000)
                .fetchLazy();
             Cursor<Record2<String, Long>> subjects = dsl.select(AUDIT_SUBJECT.CUSTOMER_CODE, AUDIT_SUBJECT.SEQ)
                     .from(AUDIT_SUBJECT).orderBy(AUDIT_SUBJECT.SEQ).fetchSize(1000).fetchLazy()) {
            SubjectRows subjectRows = new SubjectRows(subjects.iterator());
            for (Record record : events) {
                AuditEvent event = AuditLog.toEvent(record);
                String problem = walk.check(event, key, subjectRows, anchor);
                if (problem != null) {
                    return walk.bad(walk.badSeq, problem);
                }
            }
            Long orphan = subjectRows.nextSeq();
            if (orphan != null) {
                return walk.bad(orphan, "audit_subject names event " + orphan
                        + ", which is not in the chain (inserted)");
            }
        }
        return walk.end(anchor);
    }

    /** The state of one walk along the chain. */
    private static final class Walk {
        private final long headSeq;
        private final String headLink;
        private long expectedSeq = 1;
        private String prevLink = AuditChain.GENESIS;
        private long checked;
        private long unkeyed;
        private boolean keyedSeen;
        private long badSeq;

        Walk(long headSeq, String headLink) {
            this.headSeq = headSeq;
            this.headLink = headLink;
        }

        String check(AuditEvent event, AuditKey key, SubjectRows subjectRows, AuditAnchor anchor) {
            checked++;
            long seq = event.seq();
            badSeq = Math.min(seq, expectedSeq);
            if (seq != expectedSeq) {
                return seq > expectedSeq ? "event " + expectedSeq + " is missing (deleted)"
                        : "event " + seq + " is out of sequence (inserted)";
            }
            if (!event.prevHash().equals(prevLink)) {
                return "event " + seq + " does not follow the event before it (an event was changed, deleted or "
                        + "inserted)";
            }
            if (event.keyed()) {
                keyedSeen = true;
            } else if (keyedSeen) {
                return "event " + seq + " has an unkeyed link after keyed events (it was rewritten)";
            } else if (!key.acceptsUnkeyed()) {
                return "event " + seq + " has an unkeyed link, which this keyset's trail never had (it was rewritten)";
            } else {
                unkeyed++;
            }
            if (!AuditKey.same(AuditChain.link(key, prevLink, event), event.hash())) {
                return "event " + seq + " was changed after it was written"
                        + (event.keyed() ? ", or this keyset is not the one that wrote the trail" : "");
            }
            String subjects = subjectRows.check(seq, new TreeSet<>(event.subjects()));
            if (subjects != null) {
                return subjects;
            }
            if (anchor != null && anchor.seq() == seq && !AuditKey.same(anchor.link(), event.hash())) {
                return "event " + seq + " is not the anchored head of " + anchor.writtenAt()
                        + " (the chain was rewritten from there on)";
            }
            prevLink = event.hash();
            expectedSeq++;
            return null;
        }

        Verification end(AuditAnchor anchor) {
            long last = expectedSeq - 1;
            if (headSeq > last) {
                return bad(last + 1, "event " + (last + 1) + " and any after it are missing (deleted)");
            }
            if (headSeq < last) {
                return bad(headSeq + 1, "event " + (headSeq + 1) + " is not in the chain's head (inserted)");
            }
            if (!headLink.equals(prevLink)) {
                return bad(last, "event " + last + " does not match the chain's head (changed)");
            }
            if (anchor != null && anchor.seq() > last) {
                return bad(last + 1, "the chain ends at event " + last + ", before the anchored head " + anchor.seq()
                        + " of " + anchor.writtenAt() + " (events were deleted and the head set back)");
            }
            if (anchor != null && anchor.seq() == 0 && !AuditChain.GENESIS.equals(anchor.link())) {
                return bad(1L, "the anchored head is not the start of a chain");
            }
            return new Verification(checked, unkeyed, headSeq, headLink, null, null);
        }

        Verification bad(long seq, String problem) {
            return new Verification(checked, unkeyed, headSeq, headLink, seq, problem);
        }
    }

    /** audit_subject's rows in order of event, consumed alongside the events. */
    private static final class SubjectRows {
        private final Iterator<Record2<String, Long>> rows;
        private Record2<String, Long> next;

        SubjectRows(Iterator<Record2<String, Long>> rows) {
            this.rows = rows;
            this.next = rows.hasNext() ? rows.next() : null;
        }

        Long nextSeq() {
            return next == null ? null : next.value2();
        }

        /** Takes the rows of event {@code seq}; a problem when they are not exactly the event's customers. */
        String check(long seq, Set<String> expected) {
            if (next != null && next.value2() < seq) { // no event has it: the walk has passed its sequence number
                return "audit_subject names event " + next.value2() + ", which is not in the chain (inserted)";
            }
            Set<String> found = new TreeSet<>();
            while (next != null && next.value2() == seq) {
                found.add(next.value1());
                next = rows.hasNext() ? rows.next() : null;
            }
            if (found.equals(expected)) {
                return null;
            }
            return found.containsAll(expected)
                    ? "audit_subject adds customers to event " + seq + " (inserted)"
                    : "audit_subject has lost customers of event " + seq + " (deleted)";
        }
    }
}
