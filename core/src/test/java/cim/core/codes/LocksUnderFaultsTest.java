package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static cim.core.codes.CodesFixtures.AUDIT;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The locks that keep two runs apart hold under the faults that broke them (PostgreSQL's advisory locks). */
class LocksUnderFaultsTest {
    /**
     * F5: an import's rows may name channels of their own; another run importing for such a channel must wait,
     * or two runs write the same key's next version at once (exit 70 on source_record_version).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void anImportWaitsForTheChannelsItsRowsName(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            CodesFixtures.Fixture f = CodesFixtures.Fixture.open(testDb);
            Database db = f.db();
            Path file = Files.writeString(testDb.directory().resolve("rows.csv"),
                    "source_system,source_key,name\nweb,K1,张三\n");
            ExecutorService runs = Executors.newSingleThreadExecutor();
            try (Connection other = db.dataSource().getConnection()) {
                other.setAutoCommit(false);
                try (Statement hold = other.createStatement()) {
                    // another import for channel web holds its lock
                    hold.execute("SELECT pg_advisory_xact_lock(" + (long) "import/web".hashCode() + ")");
                }
                Future<?> importing = runs.submit(() -> new Importer(db, AUDIT, f.protector()).importFile(file,
                        ImportOptions.into("agent"), null, n -> { }));
                boolean waited = false;
                for (int i = 0; i < 100 && !waited && !importing.isDone(); i++) {
                    Thread.sleep(100);
                    waited = waitingForAdvisoryLock(other);
                }
                assertThat(waited).as("the import waits for channel web's lock").isTrue();
                assertThat(importing.isDone()).isFalse();
                other.commit();
                importing.get(30, TimeUnit.SECONDS);
            } finally {
                runs.shutdownNow();
            }
            assertThat(db.dsl().fetchCount(SOURCE_RECORD, SOURCE_RECORD.SOURCE_SYSTEM.eq("web"))).isEqualTo(1);
        }
    }

    private static boolean waitingForAdvisoryLock(Connection other) throws Exception {
        try (Statement query = other.createStatement();
             ResultSet row = query.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                     + "AND NOT granted")) {
            row.next();
            return row.getLong(1) > 0;
        }
    }

    /**
     * F6: the session that holds codes assign's lock ends mid-run (terminated, or timed out): the run stops before
     * its next part commits (exit 75), so a second run let in meanwhile never writes beside it; a rerun finishes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void anAssignWhoseLockSessionEndsStopsBeforeItsNextPartCommits(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            CodesFixtures.Fixture f = CodesFixtures.Fixture.open(testDb);
            Database db = f.db();
            StringBuilder csv = new StringBuilder("source_key,name,mobile\n");
            for (int i = 0; i < 40; i++) {
                csv.append("R").append(i).append(",客户").append(i).append(",1390000").append(String.format("%04d", i))
                        .append('\n');
            }
            f.load("agent", csv.toString());
            CodeAssigner.Options small = new CodeAssigner.Options(null, false, false, 10,
                    CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
            boolean[] terminated = {false};
            assertThatThrownBy(() -> new CodeAssigner(db, AUDIT, f.protector()).assign(small, total -> { }, done -> {
                if (!terminated[0]) {
                    terminated[0] = true;
                    terminateAdvisoryLockSessions(db);
                }
            })).isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.LOCKED))
                    .hasMessageContaining("lock was lost");
            long linked = db.dsl().fetchCount(CUSTOMER_LINK, CUSTOMER_LINK.VALID_TO.isNull());
            assertThat(linked).as("the parts before the loss stay").isPositive().isLessThan(40);
            CodeAssigner.Result rerun = new CodeAssigner(db, AUDIT, f.protector()).assign(small, n -> { });
            assertThat(rerun.examined()).isEqualTo(40 - linked);
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK, CUSTOMER_LINK.VALID_TO.isNull())).isEqualTo(40);
        }
    }

    /**
     * The same for a tier change, which holds that lock while it re-protects values: its session ended, the change
     * stops before its next batch commits (exit 75), and running it again finishes the job.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void aTierChangeWhoseLockSessionEndsStopsBeforeItsNextBatchCommits(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            CodesFixtures.Fixture f = CodesFixtures.Fixture.open(testDb);
            Database db = f.db();
            StringBuilder csv = new StringBuilder("source_key,name,postal_code\n");
            for (int i = 0; i < 40; i++) {
                csv.append("R").append(i).append(",客户").append(i).append(",100020\n");
            }
            f.load("agent", csv.toString());
            cim.core.protect.Reclassification change = new cim.core.protect.Reclassification(db.dsl(), AUDIT);
            boolean[] terminated = {false};
            try (cim.core.db.JobLock lock = cim.core.db.JobLock.acquire(db, CodeAssigner.LOCK, "cim tiers set",
                    CodeAssigner.HOLDERS, false)) {
                assertThatThrownBy(() -> change.apply(cim.core.protect.CustomerField.POSTAL_CODE,
                        cim.core.protect.Tier.of(1), "policy", false, f.protector(), 10, done -> {
                            if (!terminated[0]) {
                                terminated[0] = true;
                                terminateAdvisoryLockSessions(db);
                            }
                        }, tx -> lock.verify(tx, "cim tiers set")))
                        .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure())
                                .isEqualTo(Failure.LOCKED)).hasMessageContaining("lock was lost");
            }
            var rerun = change.apply(cim.core.protect.CustomerField.POSTAL_CODE, cim.core.protect.Tier.of(1),
                    "policy", false, f.protector(), 10, done -> { });
            assertThat(rerun.resumed()).as("the rerun finished the interrupted change").isTrue();
            assertThat(rerun.values()).isEqualTo(40);
        }
    }

    /** Ends the server sessions that hold an advisory lock (as a terminated backend or an idle cut would). */
    private static void terminateAdvisoryLockSessions(Database db) {
        try (Connection other = db.dataSource().getConnection(); Statement kill = other.createStatement()) {
            kill.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND granted AND pid <> pg_backend_pid()");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
