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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers at once end as the same commands run one after the other: two files into the same channels, an import
 * while codes are assigned, a tier change while an import runs, and a tier change while codes are assigned. Each
 * pair runs as two processes, the second started part-way into the first; both end with exit 0 (on the embedded
 * database the second waits its turn), and after a last {@code codes assign} the customers, rows, tiers and audit
 * chain equal those of a run that did it all in turn, with no tier-1 value left in clear ({@code tiers verify}).
 */
class ConcurrentWritersTest {
    private static final int RECORDS = 40_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void writersAtOnceEndAsWritersInTurn(Backend backend) throws Exception {
        try (TestDatabase sequential = TestDatabase.create(backend);
             TestDatabase together = TestDatabase.create(backend)) {
            Path data = together.directory().resolve("data");
            Files.createDirectories(data);
            Path all = data.resolve("all.csv");
            new CliRunner(data).require("sample", "generate", String.valueOf(RECORDS), "--out", all.toString(),
                    "--seed", "5");
            List<String> lines = Files.readAllLines(all);
            // a, b: two files of the same channels; c: imported while codes are assigned; d (the largest): imported
            // while postal_code moves to tier 1
            int[] ends = {RECORDS / 20, RECORDS / 10, RECORDS * 3 / 20, RECORDS};
            List<Path> files = new ArrayList<>();
            for (int f = 0, from = 1; f < ends.length; from = ends[f] + 1, f++) {
                List<String> part = new ArrayList<>(List.of(lines.get(0)));
                part.addAll(lines.subList(from, ends[f] + 1));
                files.add(Files.write(data.resolve("part" + f + ".csv"), part));
            }
            String[] toTier1 = {"tiers", "set", "postal_code", "--tier", "1", "--reason", "policy 2026"};
            String[] addressToTier1 = {"tiers", "set", "address", "--tier", "1", "--reason", "policy 2026"};

            CliRunner inTurn = EndState.runner(sequential, "in-turn");
            long[] millis = new long[files.size()];
            for (int f = 0; f < files.size(); f++) {
                long start = System.nanoTime();
                assertThat(CliRunner.waitFor(inTurn.start("import", files.get(f).toString()))).isZero();
                millis[f] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            long start = System.nanoTime();
            assertThat(CliRunner.waitFor(inTurn.start("codes", "assign"))).isZero();
            long assignMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            inTurn.require(toTier1);
            inTurn.require(addressToTier1);
            EndState expected = EndState.of(inTurn);
            assertThat(expected.tiersVerify()).isZero();

            CliRunner cim = EndState.runner(together, "together");
            int overlapped = 0;
            overlapped += together(cim, "two files into the same channels", millis[0] / 3,
                    new String[] {"import", files.get(0).toString()},
                    new String[] {"import", files.get(1).toString()}) ? 1 : 0;
            overlapped += together(cim, "an import while codes are assigned", millis[2] / 3,
                    new String[] {"codes", "assign"}, new String[] {"import", files.get(2).toString()}) ? 1 : 0;
            overlapped += together(cim, "a tier change while an import runs", millis[3] / 4,
                    new String[] {"import", files.get(3).toString()}, toTier1) ? 1 : 0;
            // the last import's records, most of all: the assign runs a while
            overlapped += together(cim, "a tier change while codes are assigned", assignMillis / 3,
                    new String[] {"codes", "assign"}, addressToTier1) ? 1 : 0;
            cim.require("codes", "assign");
            assertThat(EndState.of(cim)).as("after writers at once, as after writers in turn").isEqualTo(expected);
            System.out.printf("%s: %d of 4 pairs overlapped; in turn, imports %s ms, codes assign %d ms%n", backend,
                    overlapped, java.util.Arrays.toString(millis), assignMillis);
            assertThat(overlapped).as("pairs whose second run started while the first still ran")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * Starts {@code first}, then {@code second} after {@code delay} ms; both must end with exit 0. Whether the first
     * still ran when the second started.
     */
    private static boolean together(CliRunner cim, String what, long delay, String[] first, String[] second)
            throws Exception {
        Process one = cim.start(first);
        Thread.sleep(delay);
        Process two = cim.start(second);
        boolean overlapped = one.isAlive();
        int exitOne = CliRunner.waitFor(one);
        int exitTwo = CliRunner.waitFor(two);
        assertThat(exitOne).as(what + ": " + String.join(" ", first) + "\n" + CliRunner.output(one)).isZero();
        assertThat(exitTwo).as(what + ": " + String.join(" ", second) + "\n" + CliRunner.output(two)).isZero();
        assertThat(cim.run("tiers", "verify").exit()).as(what + ": no tier-1 value in clear").isZero();
        assertThat(cim.run("audit", "verify").exit()).as(what + ": the audit chain").isZero();
        return overlapped;
    }
}
