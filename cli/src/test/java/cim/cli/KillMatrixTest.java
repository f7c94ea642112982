package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults are part of the contract: every writing command, run as its own process and killed (kill -9) at several
 * moments, leaves nothing half-done, and running it again reaches the state that one uninterrupted run reaches.
 *
 * <p>One pipeline (two imports, codes assign, a tier change each way, a key rotation, a quality check, an export, a
 * merge and an unmerge) runs twice: once uninterrupted, recording the state after each step, and once with each
 * step started three times in a process that is killed early, part-way and late in its expected run time (each
 * kill meets what the kills before it left), then run to the end. After each step the state must equal the
 * reference: the partition of records into customers (codes may differ, as a rolled-back chunk leaves a gap in
 * the sequence, but not who is with whom), the rows stored, the customers' tiers, the audit chain intact, no lock
 * left behind (the run after a kill does not exit 75 for more than the moment the server takes to end the killed
 * run's session), and an export file that is whole or absent. On PostgreSQL, each step is also cut off by a restart
 * of the server (after the kills, before the run to the end): exit 69 with one plain ERROR line.
 */
class KillMatrixTest {
    private static final int RECORDS = 6_000;
    private static final double[] MOMENTS = {0.3, 0.6, 0.9};

    /**
     * One step of the pipeline: its arguments (from what the steps before produced), and the exit other than 0 it
     * may end with (a quality check finds fail-level breaches in the sample's planted defects).
     */
    private record Step(String name, Function<CliRunner, String[]> args, int exit, boolean once) {
        Step(String name, Function<CliRunner, String[]> args, int exit) {
            this(name, args, exit, false);
        }

        /** The exits a run after kills may end with: a steward action already done is refused (2), its state kept. */
        Integer[] rerunExits() {
            return once ? new Integer[] {0, exit, 2} : new Integer[] {0, exit};
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void everyWritingCommandKilledAtAnyMomentIsCompletedByARerun(Backend backend) throws Exception {
        try (TestDatabase reference = TestDatabase.create(backend);
             TestDatabase faulted = TestDatabase.create(backend)) {
            Path data = faulted.directory().resolve("data");
            Files.createDirectories(data);
            CliRunner generator = new CliRunner(data);
            Path all = data.resolve("all.csv");
            generator.require("sample", "generate", String.valueOf(RECORDS), "--out", all.toString(), "--seed", "11");
            List<String> lines = Files.readAllLines(all);
            Path first = Files.write(data.resolve("first.csv"), lines.subList(0, RECORDS * 2 / 3 + 1));
            List<String> rest = new ArrayList<>(List.of(lines.get(0)));
            rest.addAll(lines.subList(RECORDS * 2 / 3 + 1, lines.size()));
            Path second = Files.write(data.resolve("second.csv"), rest);

            List<Step> steps = List.of(
                    new Step("import", cim -> new String[] {"import", first.toString()}, 0),
                    new Step("import into the same channels", cim -> new String[] {"import", second.toString()}, 0),
                    new Step("codes assign", cim -> new String[] {"codes", "assign"}, 0),
                    new Step("tiers set up", cim -> new String[] {"tiers", "set", "postal_code", "--tier", "1",
                            "--reason", "policy 2026"}, 0),
                    new Step("tiers set down", cim -> new String[] {"tiers", "set", "postal_code", "--tier", "2",
                            "--reason", "policy 2027", "--allow-reveal"}, 0),
                    new Step("keys rotate", cim -> new String[] {"keys", "rotate"}, 0),
                    new Step("quality check", cim -> new String[] {"quality", "check", "--failures",
                            EndState.out(cim).resolve("failures.csv").toString()}, 1),
                    new Step("export", cim -> new String[] {"export", "--out",
                            EndState.out(cim).resolve("golden.csv").toString()}, 0),
                    new Step("codes merge", cim -> {
                        List<String> codes = codes(cim);
                        return new String[] {"codes", "merge", codes.get(0), codes.get(1), "--reason", "one person"};
                    }, 0, true),
                    new Step("codes unmerge", cim -> {
                        String[] record = EndState.xref(cim).get(0).split(",");
                        return new String[] {"codes", "unmerge", "--source", record[0], "--key", record[1],
                                "--reason", "not the same person"};
                    }, 0, true));

            CliRunner straight = EndState.runner(reference, "reference");
            List<EndState> expected = new ArrayList<>();
            List<Long> millis = new ArrayList<>();
            for (Step step : steps) {
                long start = System.nanoTime();
                Process process = straight.start(step.args().apply(straight));
                int exit = CliRunner.waitFor(process);
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(exit).as(step.name() + ": " + CliRunner.output(process)).isIn(0, step.exit());
                expected.add(EndState.of(straight));
            }

            int exportStep = steps.stream().map(Step::name).toList().indexOf("export");
            CliRunner cim = EndState.runner(faulted, "faulted");
            int killedAlive = 0;
            int restarted = 0;
            for (int s = 0; s < steps.size(); s++) {
                Step step = steps.get(s);
                // the same command each time, as a cron job or an operator would run it again
                String[] args = step.args().apply(cim);
                for (double moment : MOMENTS) {
                    Process process = cim.start(args);
                    boolean alive = !process.waitFor((long) (millis.get(s) * moment), TimeUnit.MILLISECONDS);
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                    killedAlive += alive ? 1 : 0;
                    assertNoPartialExport(cim, expected.get(exportStep));
                }
                if (backend == Backend.POSTGRESQL) {
                    restarted += restartMidRun(cim, step, args, millis.get(s)) ? 1 : 0;
                }
                CliRunner.Result rerun = cim.run(args);
                // a server session of a killed client can hold its lock until the server notices: not forever
                for (int wait = 0; rerun.exit() == 75 && wait < 60; wait++) {
                    Thread.sleep(1000);
                    rerun = cim.run(args);
                }
                assertThat(rerun.exit()).as(step.name() + " after the kills: " + rerun)
                        .isIn((Object[]) step.rerunExits());
                assertThat(EndState.of(cim)).as("after " + step.name() + ", killed three times, then run")
                        .isEqualTo(expected.get(s));
            }
            System.out.printf("%s: %d of %d kills met a running process, %d restarts cut a run off; step times %s ms%n",
                    backend, killedAlive, steps.size() * MOMENTS.length, restarted, millis);
            assertThat(killedAlive).as("most kills met a running process").isGreaterThan(steps.size() * 2);
            if (backend == Backend.POSTGRESQL) {
                assertThat(restarted).as("restarts that cut a run off (the others came as it ended)")
                        .isGreaterThanOrEqualTo(4);
            }
        }
    }

    /**
     * Starts the step and restarts the PostgreSQL server part-way through its expected run: the run ends with exit
     * 69 and one plain ERROR line (or 0, if it finished first). Whether the restart cut it off.
     */
    private static boolean restartMidRun(CliRunner cim, Step step, String[] args, long millis) throws Exception {
        Process process = cim.start(args);
        // late enough to meet the work rather than the start-up (most of a short run)
        boolean alive = !process.waitFor(millis * 7 / 10, TimeUnit.MILLISECONDS);
        String version = Files.list(Path.of("/etc/postgresql")).map(p -> p.getFileName().toString()).sorted()
                .reduce((a, b) -> b).orElseThrow();
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart",
                "-m", "fast").redirectErrorStream(true).start();
        assertThat(restart.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(restart.exitValue()).as("pg_ctlcluster restart: " + CliRunner.output(restart)).isZero();
        int exit = CliRunner.waitFor(process);
        String printed = CliRunner.output(process);
        assertThat(exit).as(step.name() + " cut off by a restart: " + printed).isIn(0, 69, step.exit(),
                step.once() ? 2 : 0);
        if (exit == 69) {
            assertThat(printed).as(step.name()).contains("ERROR: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (int i = 0; i < 60 && cim.run("db", "status").exit() != 0; i++) {
            Thread.sleep(500);
        }
        return alive && exit == 69;
    }


    /** The customers' codes, by their records' order in xref (the same customers in both runs). */
    private static List<String> codes(CliRunner cim) {
        return EndState.xref(cim).stream().map(line -> line.split(",")[2]).distinct().toList();
    }

    /** The export file is there whole (as many lines as the reference's) or not at all, never in part. */
    private static void assertNoPartialExport(CliRunner cim, EndState afterExport) throws java.io.IOException {
        Path out = EndState.out(cim).resolve("golden.csv");
        if (Files.exists(out)) {
            assertThat(Files.readAllLines(out)).as("the export file, after a kill").hasSize(afterExport.exportLines());
        }
    }
}
