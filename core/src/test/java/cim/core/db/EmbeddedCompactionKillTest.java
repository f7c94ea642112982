package cim.core.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a run while it rewrites the embedded file (SHUTDOWN COMPACT): at whatever moment, the next run opens the
 * database with all its data, and no leftover of the rewrite stays beside it.
 */
class EmbeddedCompactionKillTest {
    private static final int KEPT = 100_000;

    /**
     * The killed run, as a big import is: writes much to the embedded database in {@code args[0]} (committed), then
     * rewrites the mostly dead file on its way out, saying so first.
     */
    public static void main(String[] args) {
        try (Database db = Database.open(DatabaseTarget.parse(null, Path.of(args[0])), new Credentials(null, null),
                null)) {
            db.dsl().execute("CREATE TABLE kept (id INT PRIMARY KEY, v VARCHAR(200))");
            db.dsl().execute("CREATE INDEX kept_v ON kept (v)");
            db.dsl().execute("INSERT INTO kept SELECT \"X\", RANDOM_UUID() || REPEAT('k', 100) FROM SYSTEM_RANGE(1, "
                    + KEPT + ")");
            db.dsl().execute("UPDATE kept SET v = RANDOM_UUID() || REPEAT('u', 100)");
            db.compactIfWasteful(1L << 20, notice -> {
                System.out.println(notice);
                System.out.flush();
            });
        }
        System.out.println("done");
    }

    /**
     * The next run opens the file as cim does, in a JVM without -ea: H2's own debugging assertions (on its page
     * accounting while it recovers a killed run's file) are off in the tests as in the product, so a test sees what
     * a user would. They once stopped this test's reopen, which the product's open passes (see the pom's argLine).
     */
    @Test
    void theDatabaseIsOpenedAsShippedWithoutH2sDebuggingAssertions() {
        assertThat(org.h2.mvstore.Chunk.class.desiredAssertionStatus()).isFalse();
        assertThat(EmbeddedCompactionKillTest.class.desiredAssertionStatus()).as("cim's own assertions stay on").isTrue();
    }

    @Test
    void aRunKilledWhileCompactingLeavesADatabaseThatOpensWithItsData(@TempDir Path dir) throws Exception {
        // the shutdown closes the store first (some 0.5 s here), then writes the new file beside the old: one kill
        // while it closes, the others once the new file is there (-1: not waiting for it)
        long[] delays = {-1, 0, 100, 250};
        List<String> outcomes = new ArrayList<>();
        int midRewrite = 0;
        for (long delay : delays) {
            Path home = dir.resolve("home-" + delay);
            DatabaseTarget target = DatabaseTarget.parse(null, home);
            Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), EmbeddedCompactionKillTest.class.getName(),
                    home.toString()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the run compacts (%d ms)", delay).startsWith("compacting the embedded database");
            Path leftover = Path.of(target.embeddedFile() + ".tempFile");
            if (delay < 0) {
                Thread.sleep(100);
            } else {
                for (int wait = 0; wait < 2_000 && !Files.exists(leftover) && run.isAlive(); wait++) {
                    Thread.sleep(5);
                }
                Thread.sleep(delay);
            }
            boolean rewriting = run.isAlive() && Files.exists(leftover);
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            midRewrite += rewriting ? 1 : 0;
            long size = Files.size(target.embeddedFile());
            try (Database db = Database.open(target, new Credentials(null, null), null)) {
                assertThat(db.dsl().fetchValue("SELECT COUNT(*) FROM kept")).as("killed %d ms into the rewrite", delay)
                        .isEqualTo((long) KEPT);
            }
            assertThat(leftover).as("killed %d ms into the rewrite", delay).doesNotExist();
            outcomes.add(delay + " ms: " + (rewriting ? "mid-rewrite" : "not rewriting") + ", " + (size >> 20) + " MiB");
            try (var files = Files.walk(home)) {
                // a gigabyte each: not kept for the next
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("compaction kills: " + outcomes);
        assertThat(midRewrite).as("kills that met the rewrite under way: " + outcomes).isGreaterThanOrEqualTo(2);
    }
}
