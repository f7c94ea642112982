package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F3 end to end: the server ends an import's sessions mid-run (as a restart or an administrator's shutdown does,
 * SQLSTATE 57P01): exit 69 with a plain message, nothing of the file stored, and a rerun stores it whole.
 */
class DatabaseGoneTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void anImportWhoseSessionsTheServerEndsExits69AndARerunCompletes(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name\r\nA1,张三\r\n").channels("web");
            Path file = db.directory().resolve("big.csv");
            cim.require("sample", "generate", "60000", "--out", file.toString(), "--seed", "3");
            String database = db.url().replaceFirst("^jdbc:postgresql://[^/]+/", "").replaceFirst("\\?.*$", "");
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService killer = Executors.newSingleThreadExecutor();
            CliRunner.Result cut;
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=root")) {
                Future<Integer> killed = killer.submit(() -> {
                    int n = 0;
                    // wait for the import's transaction to write, then end every session it has (and opens after)
                    while (running.get() && !writing(admin, database)) {
                        Thread.sleep(20);
                    }
                    while (running.get()) {
                        n += terminate(admin, database);
                        Thread.sleep(20);
                    }
                    return n;
                });
                cut = cim.run("import", file.toString(), "--source", "web");
                running.set(false);
                assertThat(killed.get(30, TimeUnit.SECONDS)).as("the test ended the import's sessions").isPositive();
            } finally {
                killer.shutdownNow();
            }
            assertThat(cut.exit()).as(cut.toString()).isEqualTo(ExitCode.DATABASE_UNAVAILABLE.code());
            assertThat(cut.err()).startsWith("ERROR: lost the connection to the database").doesNotContain("Exception");
            CliRunner.Result status = cim.run("db", "status");
            assertThat(status.out()).as("nothing of the file stored").containsPattern("rows source_record\\s+1\\n");
            CliRunner.Result rerun = cim.run("import", file.toString(), "--source", "web", "-o", "json");
            assertThat(rerun.exit()).as(rerun.toString()).isZero();
            assertThat(rerun.out()).contains("\"read\":60000");
        }
    }

    private static boolean writing(Connection admin, String database) throws Exception {
        try (Statement query = admin.createStatement();
             ResultSet row = query.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                     + "' AND state = 'active' AND (query ILIKE 'COPY%' OR query ILIKE 'INSERT%')")) {
            row.next();
            return row.getLong(1) > 0;
        }
    }

    private static int terminate(Connection admin, String database) throws Exception {
        try (Statement query = admin.createStatement();
             ResultSet rows = query.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                     + "datname = '" + database + "' AND pid <> pg_backend_pid()")) {
            int n = 0;
            while (rows.next()) {
                n += rows.getBoolean(1) ? 1 : 0;
            }
            return n;
        }
    }
}
