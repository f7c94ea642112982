package cim.cli;

import cim.core.codes.CodeAssigner;
import cim.core.db.Backend;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;
import cim.core.db.JobLock;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tier change and the jobs that copy stored values into golden records (codes assign, merge, unmerge) take turns:
 * the change waits, saying so, while one runs; one started while a change runs is refused with 75 naming who holds
 * the lock. (A central database: on the embedded one every run takes its turn anyway.)
 */
class TierChangeLocksTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void aTierChangeWaitsForARunningAssignAndAnAssignIsRefusedDuringOne(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile,postal_code\n"
                    + "A1,张三,13800000001,100020\nA2,李四,13800000002,200120\n");
            try (Database other = Database.open(DatabaseTarget.parse(db.url(), db.directory()),
                    new Credentials(null, null), null)) {
                Process change;
                StringBuilder printed = new StringBuilder();
                try (JobLock assign = JobLock.acquire(other, CodeAssigner.LOCK, "cim codes assign", false)) {
                    change = cim.start("tiers", "set", "postal_code", "--tier", "1", "--reason", "policy 2026");
                    java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                            change.getInputStream(), StandardCharsets.UTF_8));
                    // until the change says it waits (or ends without waiting: then the test fails below)
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        printed.append(line).append('\n');
                        if (line.startsWith("cim: waiting for the run that writes golden records")) {
                            break;
                        }
                    }
                    assertThat(change.isAlive()).as("the change waits for the running assign: " + printed).isTrue();
                }
                assertThat(change.waitFor(60, TimeUnit.SECONDS)).as("and goes on once it has finished").isTrue();
                printed.append(new String(change.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertThat(change.exitValue()).as(printed.toString()).isZero();
                assertThat(printed.toString()).contains("values re-protected");
            }
            assertThat(cim.run("tiers", "verify").exit()).isZero();

            // the other way round: the tier change holds the lock, as it does while it re-protects
            try (Database other = Database.open(DatabaseTarget.parse(db.url(), db.directory()),
                    new Credentials(null, null), null);
                 JobLock change = JobLock.acquire(other, CodeAssigner.LOCK, "cim tiers set", CodeAssigner.HOLDERS,
                         false)) {
                CliRunner.Result assign = cim.run("codes", "assign");
                assertThat(assign.exit()).as(assign.toString()).isEqualTo(ExitCode.LOCKED.code());
                assertThat(assign.err()).contains("another 'cim codes assign', a merge or unmerge, 'cim tiers set' or "
                        + "'cim keys rotate --blind-index' is running on this database");
            }
            cim.require("codes", "assign");
        }
    }
}
