package cim.core.audit;

import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
import cim.core.testing.TestKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditTrailTest {
    private static final AuditTrail TRAIL = new AuditTrail(new AuditContext("alice", "os-alice", "host-1", "cim test"), cim.core.testing.TestKeys.AUDIT);

    private static void appendEvents(Database db, int count) {
        for (int i = 1; i <= count; i++) {
            int n = i;
            db.dsl().transaction(tx -> TRAIL.append(tx.dsl(), AuditEntry.of(n % 2 == 0 ? "codes.merge" : "db.migrate")
                    .object("customer", "P" + n).subjects(List.of("P" + n, "P0")).rows(n).reason("test " + n)
                    .detail(Map.of("n", n, "note", "事件"))));
        }
    }

    private static Database migrated(TestDatabase testDb) {
        Database db = testDb.open();
        new Migrations(db).migrate();
        return db;
    }

    /** Plays an attacker with full database access: the append-only guard switched off first. */
    private static void tamper(TestDatabase testDb, String sql) throws SQLException {
        try (Connection c = testDb.connect(); Statement st = c.createStatement()) {
            if (testDb.backend() == Backend.POSTGRESQL) {
                st.execute("SET session_replication_role = replica");
            } else {
                st.execute("DROP TRIGGER IF EXISTS audit_event_append_only");
                st.execute("DROP TRIGGER IF EXISTS audit_subject_append_only");
            }
            st.execute(sql);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void appendedEventsFormAnIntactChain(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT);
            assertThat(v.ok()).isTrue();
            assertThat(v.events()).isEqualTo(5);

            List<AuditEvent> events = AuditLog.find(db.dsl(), AuditFilter.all());
            assertThat(events).extracting(AuditEvent::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
            AuditEvent first = events.get(4);
            assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
            assertThat(first.actor()).isEqualTo("alice");
            assertThat(first.host()).isEqualTo("host-1");
            assertThat(first.subjects()).containsExactly("P0", "P1");
            assertThat(first.detail()).isEqualTo("{\"n\":1,\"note\":\"事件\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void filtersByCustomerActorActionAndTime(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 6);
            assertThat(AuditLog.find(db.dsl(), new AuditFilter("P3", null, null, null, null, 10)))
                    .extracting(AuditEvent::seq).containsExactly(3L);
            assertThat(AuditLog.find(db.dsl(), new AuditFilter("P0", null, null, null, null, 2)))
                    .extracting(AuditEvent::seq).containsExactly(6L, 5L);
            assertThat(AuditLog.find(db.dsl(), new AuditFilter(null, null, "codes.*", null, null, 10)))
                    .extracting(AuditEvent::seq).containsExactly(6L, 4L, 2L);
            assertThat(AuditLog.find(db.dsl(), new AuditFilter(null, "bob", null, null, null, 10))).isEmpty();
            Instant future = Instant.now().plusSeconds(3600);
            assertThat(AuditLog.find(db.dsl(), new AuditFilter(null, null, null, future, null, 10))).isEmpty();
            assertThat(AuditLog.find(db.dsl(), new AuditFilter(null, null, null, null, future, 10))).hasSize(6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theDatabaseRefusesUpdatesAndDeletes(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 2);
            assertThatThrownBy(() -> db.dsl().execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.dsl().execute("DELETE FROM audit_event WHERE seq = 2"))
                    .hasMessageContaining("append-only");
            assertThat(AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aChangedEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            tamper(testDb, "UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 3");
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT);
            assertThat(v.firstBad()).isEqualTo(3L);
            assertThat(v.problem()).contains("changed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDeletedEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            tamper(testDb, "DELETE FROM audit_subject WHERE seq = 2");
            tamper(testDb, "DELETE FROM audit_event WHERE seq = 2");
            assertThat(AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT).firstBad()).isEqualTo(2L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDeletedLastEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 4);
            tamper(testDb, "DELETE FROM audit_subject WHERE seq = 4");
            tamper(testDb, "DELETE FROM audit_event WHERE seq = 4");
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT);
            assertThat(v.firstBad()).isEqualTo(4L);
            assertThat(v.problem()).contains("missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anInsertedEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 3);
            String lastHash = AuditLog.find(db.dsl(), AuditFilter.all()).get(0).hash();
            tamper(testDb, "INSERT INTO audit_event (seq, occurred_at, actor, os_user, host, action, prev_hash, hash) "
                    + "VALUES (4, CURRENT_TIMESTAMP, 'mallory', 'm', 'h', 'db.migrate', '" + lastHash + "', '"
                    + "f".repeat(64) + "')");
            assertThat(AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT).firstBad()).isEqualTo(4L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void concurrentProcessesKeepTheChainWhole(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            int processes = 4;
            int eventsEach = 25;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> running = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                running.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        AppendProcess.class.getName(), testDb.url(), String.valueOf(eventsEach), "worker-" + p)
                        .redirectErrorStream(true).start());
            }
            for (Process process : running) {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes());
                assertThat(process.exitValue()).as(output).isZero();
            }
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT);
            assertThat(v.ok()).as(v.problem()).isTrue();
            assertThat(v.events()).isEqualTo((long) processes * eventsEach);
        }
    }

    /**
     * Plays an owner who knows the chain's rules: drops event {@code dropSeq}, renumbers the events after it and
     * links them again (under {@code key}, or with the public SHA-256 when {@code keyed} is false), head included.
     */
    private static void rewriteWithout(TestDatabase testDb, Database db, long dropSeq, AuditKey key, boolean keyed)
            throws SQLException {
        List<AuditEvent> events = new ArrayList<>(AuditLog.find(db.dsl(), AuditFilter.all()));
        java.util.Collections.reverse(events);
        tamper(testDb, "DELETE FROM audit_subject WHERE seq >= " + dropSeq);
        tamper(testDb, "DELETE FROM audit_event WHERE seq >= " + dropSeq);
        String prev = dropSeq == 1 ? AuditChain.GENESIS : events.get((int) dropSeq - 2).hash();
        long seq = dropSeq;
        try (Connection c = testDb.connect(); Statement st = c.createStatement()) {
            if (testDb.backend() == Backend.POSTGRESQL) {
                st.execute("SET session_replication_role = replica");
            }
            for (AuditEvent e : events.subList((int) dropSeq, events.size())) {
                AuditEvent moved = new AuditEvent(seq, e.occurredAt(), e.actor(), e.osUser(), e.host(), e.dbUser(),
                        e.clientAddr(), e.action(), e.objectType(), e.objectId(), e.subjects(), e.rowCount(),
                        e.reason(), e.commandLine(), e.detail(), keyed, prev, null);
                String link = AuditChain.link(key, prev, moved);
                try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO audit_event (seq, "
                        + "occurred_at, actor, os_user, host, db_user, action, object_type, object_id, subjects, "
                        + "row_count, reason, command_line, detail, keyed, prev_hash, hash, client_addr) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setLong(1, seq);
                    insert.setObject(2, e.occurredAt().atOffset(java.time.ZoneOffset.UTC));
                    insert.setString(3, e.actor());
                    insert.setString(4, e.osUser());
                    insert.setString(5, e.host());
                    insert.setString(6, e.dbUser());
                    insert.setString(7, e.action());
                    insert.setString(8, e.objectType());
                    insert.setString(9, e.objectId());
                    insert.setString(10, String.join(",", e.subjects()));
                    insert.setLong(11, e.rowCount());
                    insert.setString(12, e.reason());
                    insert.setString(13, e.commandLine());
                    insert.setString(14, e.detail());
                    insert.setBoolean(15, keyed);
                    insert.setString(16, prev);
                    insert.setString(17, link);
                    insert.setString(18, e.clientAddr());
                    insert.execute();
                }
                for (String code : e.subjects()) {
                    st.execute("INSERT INTO audit_subject (customer_code, seq) VALUES ('" + code + "', " + seq + ")");
                }
                prev = link;
                seq++;
            }
            st.execute("UPDATE audit_head SET last_seq = " + (seq - 1) + ", last_hash = '" + prev + "'");
        }
    }

    private static final AuditKey MALLORYS_KEY = AuditKey.of(new byte[AuditKey.LENGTH]);

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eventsDeletedInTheMiddleAndTheRestRelinkedAreFoundWithoutTheKey(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            rewriteWithout(testDb, db, 3, MALLORYS_KEY, true);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT);
            assertThat(v.firstBad()).as(v.problem()).isEqualTo(3L);
            assertThat(v.problem()).contains("changed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eventsRelinkedWithThePublicHashAreFound(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            rewriteWithout(testDb, db, 3, MALLORYS_KEY, false);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT);
            assertThat(v.firstBad()).isEqualTo(3L);
            assertThat(v.problem()).contains("unkeyed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKeysetThatDidNotWriteTheChainNeverFindsItIntact(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 2);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), MALLORYS_KEY);
            assertThat(v.firstBad()).isEqualTo(1L);
            assertThat(v.problem()).contains("not the one that wrote the trail");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void newestEventsDeletedAndTheHeadSetBackAreFoundByAnAnchor(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 3);
            AuditEvent third = AuditLog.find(db.dsl(), AuditFilter.all()).get(0);
            appendEvents(db, 2);
            AuditAnchor anchor = AuditAnchor.ofHead(db.dsl(), TestKeys.AUDIT);
            assertThat(anchor.seq()).isEqualTo(5);
            assertThat(AuditVerifier.verify(db.dsl(), TestKeys.AUDIT, anchor).ok()).isTrue();

            // in one transaction, as an owner would: the newest events gone and the head set back to event 3
            tamper(testDb, "DELETE FROM audit_subject WHERE seq > 3; DELETE FROM audit_event WHERE seq > 3; "
                    + "UPDATE audit_head SET last_seq = 3, last_hash = '" + third.hash() + "'");
            assertThat(AuditVerifier.verify(db.dsl(), TestKeys.AUDIT).ok())
                    .as("the chain alone cannot tell that it was cut short").isTrue();
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT, anchor);
            assertThat(v.ok()).isFalse();
            assertThat(v.problem()).contains("before the anchored head 5");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anAnchorRewrittenFromTheMiddleOnIsFound(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 4);
            AuditAnchor anchor = AuditAnchor.ofHead(db.dsl(), TestKeys.AUDIT);
            assertThat(anchor.authentic(TestKeys.AUDIT)).isTrue();
            assertThat(anchor.authentic(MALLORYS_KEY)).isFalse();
            AuditAnchor moved = new AuditAnchor(3, anchor.link(), anchor.writtenAt(), anchor.mac());
            assertThat(moved.authentic(TestKeys.AUDIT)).as("an anchor edited by hand").isFalse();
            rewriteWithout(testDb, db, 2, TestKeys.AUDIT, true);
            appendEvents(db, 1);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT, anchor);
            assertThat(v.firstBad()).as("even under the real key, event 4 is no longer the anchored one")
                    .isEqualTo(4L);
            assertThat(v.problem()).contains("anchored head");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDeletedOrAddedCustomerOfAnEventIsFound(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 4);
            tamper(testDb, "DELETE FROM audit_subject WHERE customer_code = 'P3'");
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT);
            assertThat(v.firstBad()).isEqualTo(3L);
            assertThat(v.problem()).contains("lost customers");
            tamper(testDb, "INSERT INTO audit_subject (customer_code, seq) VALUES ('P3', 3), ('P9', 2)");
            v = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT);
            assertThat(v.firstBad()).isEqualTo(2L);
            assertThat(v.problem()).contains("adds customers");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eventsRecordTheDatabaseRoleTheServerSaw(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 1);
            AuditEvent event = AuditLog.find(db.dsl(), AuditFilter.all()).get(0);
            String sessionUser = db.dsl().fetchValue("SELECT session_user").toString();
            assertThat(event.dbUser()).isEqualTo(sessionUser);
            assertThat(event.keyed()).isTrue();
            if (backend == Backend.POSTGRESQL) {
                assertThat(event.dbUser()).isEqualTo("root");
                assertThat(event.clientAddr()).isEqualTo("127.0.0.1");
                try (Connection c = testDb.connect(); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute("INSERT INTO audit_event (seq, occurred_at, actor, os_user, "
                            + "host, db_user, action, keyed, prev_hash, hash) VALUES (2, CURRENT_TIMESTAMP, 'a', 'a', "
                            + "'h', 'cim_admin', 'db.migrate', TRUE, '" + event.hash() + "', '" + "f".repeat(64) + "')"))
                            .hasMessageContaining("session's role");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eventsWrittenBeforeTheChainWasKeyedStillVerifyAndAreCounted(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 3);
            rewriteWithout(testDb, db, 1, TestKeys.AUDIT, false); // events 2 and 3 as schema 12 wrote them
            appendEvents(db, 2);
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), TestKeys.LEGACY_AUDIT);
            assertThat(v.ok()).as(v.problem()).isTrue();
            assertThat(v.events()).isEqualTo(4);
            assertThat(v.unkeyed()).isEqualTo(2);
            AuditVerifier.Verification strict = AuditVerifier.verify(db.dsl(), TestKeys.AUDIT);
            assertThat(strict.firstBad()).as("a keyset with its own audit key never wrote unkeyed links")
                    .isEqualTo(1L);
            assertThat(strict.problem()).contains("unkeyed link, which this keyset's trail never had");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aWholeChainRelinkedAsUnkeyedIsFoundByTheKeysetOrTheAnchor(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 3);
            AuditAnchor anchor = AuditAnchor.ofHead(db.dsl(), TestKeys.LEGACY_AUDIT);
            rewriteWithout(testDb, db, 1, TestKeys.AUDIT, false);
            assertThat(AuditVerifier.verify(db.dsl(), TestKeys.AUDIT).firstBad()).isEqualTo(1L);
            assertThat(AuditVerifier.verify(db.dsl(), TestKeys.LEGACY_AUDIT, anchor).ok())
                    .as("an old keyset cannot tell such a chain from schema 12's; its anchor can").isFalse();
        }
    }
}
