package cim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/nightly/cim-nightly.sh, the chain the crontab and the systemd timer run, works as documented on a fresh
 * embedded database: it imports the inbox, codes, checks and anchors, silently, leaving a metrics file per step; run
 * again the next night it verifies against its own anchor; a bad file is set aside and the rest of the chain runs,
 * which ends with the first failure's exit code; a missing anchor is a failure after the first night.
 */
class NightlyChainTest {
    private static final Path SCRIPT = Path.of("..", "samples", "nightly", "cim-nightly.sh").toAbsolutePath();

    @Test
    void theChainRunsSilentlyLeavesMetricsAndStopsAtAFailure(@TempDir Path dir) throws Exception {
        CliRunner cim = new CliRunner(dir).channels(CliRunner.SAMPLE_CHANNELS);
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        cim.require("sample", "generate", "300", "--out", inbox.resolve("direct_2026-12-07.csv").toString(),
                "--seed", "9");
        Path metrics = Files.createDirectories(dir.resolve("textfile"));
        Path state = dir.resolve("state");
        Path config = Files.writeString(dir.resolve("cim.conf"), "metrics.file = " + metrics + "\n");

        Run first = chain(cim, dir, config, inbox, state, Map.of("CIM_FIRST_ANCHOR", "1"));
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).as("silent on success").isEmpty();
        assertThat(inbox.resolve("done").resolve("direct_2026-12-07.csv")).exists();
        assertThat(state.resolve("anchor.json")).exists();
        try (var reports = Files.list(state)) {
            assertThat(reports.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("quality-.*\\.xml"));
        }
        for (String step : List.of("import", "codes_assign", "quality_check", "audit_verify", "audit_anchor")) {
            assertThat(Files.readString(metrics.resolve("cim_" + step + ".prom")))
                    .contains("cim_run_exit_code{command=\"" + step.replace('_', ' ') + "\"} 0");
        }

        Run second = chain(cim, dir, config, inbox, state, Map.of());
        assertThat(second.exit()).as("the next night, against its own anchor: " + second.output()).isZero();

        // a file for a channel nobody registered (refused, exit 65) and one whose name names no channel: both go
        // to failed/, the chain goes on (codes, quality, audit) and ends with the first failure's exit code
        Files.writeString(inbox.resolve("nowhere_2026-12-08.csv"), "source_system,source_key,customer_type,name\n"
                + "nowhere,n-1,PERSON,王小明\n");
        Files.writeString(inbox.resolve("-q.csv"), "source_system,source_key\n");
        String anchor = Files.readString(state.resolve("anchor.json"));
        Run third = chain(cim, dir, config, inbox, state, Map.of());
        assertThat(third.exit()).as(third.output()).isEqualTo(65);
        assertThat(third.output()).contains("ERROR:", "cim-nightly: exit 65: ", "-q.csv does not start with a channel");
        assertThat(Files.readString(metrics.resolve("cim_import.prom"))).contains("cim_run_exit_code{command=\"import\"} 65");
        assertThat(inbox.resolve("failed").resolve("nowhere_2026-12-08.csv")).exists();
        assertThat(inbox.resolve("failed").resolve("-q.csv")).exists();
        assertThat(Files.readString(metrics.resolve("cim_codes_assign.prom")))
                .contains("cim_run_exit_code{command=\"codes assign\"} 0");
        assertThat(Files.readString(state.resolve("anchor.json"))).as("anchored again").isNotEqualTo(anchor);

        // an anchor gone (removed to hide a rewritten trail?) is a failure, unless it is the first night
        Files.delete(state.resolve("anchor.json"));
        Run fourth = chain(cim, dir, config, inbox, state, Map.of());
        assertThat(fourth.exit()).as(fourth.output()).isEqualTo(1);
        assertThat(fourth.output()).contains("no anchor at ");
        assertThat(state.resolve("anchor.json")).doesNotExist();
    }

    private record Run(int exit, String output) { }

    private static Run chain(CliRunner cim, Path dir, Path config, Path inbox, Path state, Map<String, String> more)
            throws IOException, InterruptedException {
        // the launcher: this build's cim, as the package's /usr/bin/cim would run it
        Path launcher = dir.resolve("cim");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CIM_"));
        builder.environment().putAll(cim.env());
        builder.environment().put("CIM", launcher.toString());
        builder.environment().put("CIM_CONFIG", config.toString());
        builder.environment().put("CIM_INBOX", inbox.toString());
        builder.environment().put("CIM_STATE", state.toString());
        // the files were written a moment ago
        builder.environment().put("CIM_INBOX_SETTLE", "0");
        builder.environment().putAll(more);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
