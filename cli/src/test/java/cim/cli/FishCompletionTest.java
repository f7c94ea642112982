package cim.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed fish completion (completions/cim.fish, kept current by DocsTest) loads in a real fish and completes
 * what a user types: commands at each depth, after global options too; options; the values an option takes; files
 * for a file option. fish must be installed (apt-get install fish; .ci/run installs it): without it this fails.
 */
class FishCompletionTest {
    private static final Path SCRIPT = Path.of("..", "completions", "cim.fish").toAbsolutePath();

    @Test
    void fishCompletesCommandsOptionsAndValues() throws Exception {
        assertThat(complete("cim ")).contains("codes", "quality", "audit", "completion").doesNotContain("assign");
        assertThat(complete("cim codes a")).containsExactly("assign");
        assertThat(complete("cim --db jdbc:postgresql://h/db -q codes review ")).contains("accept", "list", "reject");
        assertThat(complete("cim codes assign --eng")).containsExactly("--engine");
        assertThat(complete("cim codes assign --engine ")).containsExactly("single", "spark");
        assertThat(complete("cim quality check -o ")).contains("json", "csv", "table");
        assertThat(complete("cim completion ")).contains("bash", "zsh", "fish");
        // a file option completes paths; a command's own option is not offered to another
        assertThat(complete("cim export --out " + SCRIPT.getParent() + "/cim.f")).containsExactly(SCRIPT.toString());
        assertThat(complete("cim db status --engi")).isEmpty();
    }

    /** What fish offers for the command line (the candidates, without their descriptions). */
    private static List<String> complete(String line) throws IOException, InterruptedException {
        Process fish;
        try {
            fish = new ProcessBuilder("fish", "--no-config", "-c", "source $argv[1]; complete -C $argv[2]",
                    SCRIPT.toString(), line).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("fish is not installed (apt-get install fish): the completion cannot be tried", e);
        }
        String out = new String(fish.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fish.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(fish.exitValue()).as(out).isZero();
        return out.lines().map(candidate -> candidate.split("\t")[0]).toList();
    }
}
