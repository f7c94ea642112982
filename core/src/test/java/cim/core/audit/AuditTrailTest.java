package cim.core.audit;

import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
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
    private static final AuditTrail TRAIL = new AuditTrail(new AuditContext("alice", "os-alice", "host-1", "cim test"));

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
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl());
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
            assertThat(AuditVerifier.verify(db.dsl()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aChangedEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 5);
            tamper(testDb, "UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 3");
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl());
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
            assertThat(AuditVerifier.verify(db.dsl()).firstBad()).isEqualTo(2L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDeletedLastEventIsNamed(Backend backend) throws SQLException {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            appendEvents(db, 4);
            tamper(testDb, "DELETE FROM audit_subject WHERE seq = 4");
            tamper(testDb, "DELETE FROM audit_event WHERE seq = 4");
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl());
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
            assertThat(AuditVerifier.verify(db.dsl()).firstBad()).isEqualTo(4L);
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
            AuditVerifier.Verification v = AuditVerifier.verify(db.dsl());
            assertThat(v.ok()).as(v.problem()).isTrue();
            assertThat(v.events()).isEqualTo((long) processes * eventsEach);
        }
    }
}
