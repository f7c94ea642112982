package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --metrics-file (CIM_METRICS_FILE, metrics.file): every run ends by writing its metrics in the Prometheus text
 * format, atomically, readable by node_exporter's user: the command, exit code, duration and end time, the rows of
 * its summary, a quality check's scores overall and per channel, the audit trail's head. A directory gets one file
 * per command, so that the steps of a nightly chain keep theirs. A place the metrics cannot go is refused before the
 * run does anything (exit 78).
 */
class MetricsFileTest {
    /** One sample line of the text format: name, labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)\\{([^}]*)} (\\S+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theNightlyChainLeavesOneFileOfMetricsPerStep(Backend backend) throws IOException {
        try (TestDatabase db = TestDatabase.create(backend)) {
            nightlyChain(db.directory(), CliRunner.on(db).channels(CliRunner.SAMPLE_CHANNELS));
        }
    }

    private static void nightlyChain(Path dir, CliRunner cim) throws IOException {
        Path records = dir.resolve("records.csv");
        cim.require("sample", "generate", "400", "--out", records.toString(), "--seed", "5");
        Path prom = Files.createDirectories(dir.resolve("textfile"));
        CliRunner metered = cim.with("CIM_METRICS_FILE", prom.toString());

        metered.require("-q", "import", records.toString(), "--source", "direct");
        Map<String, String> imported = samples(prom.resolve("cim_import.prom"));
        assertThat(imported).containsEntry("cim_run_exit_code{command=\"import\"}", "0")
                .containsEntry("cim_run_rows{command=\"import\",kind=\"read\"}", "400")
                .containsEntry("cim_run_rows{command=\"import\",kind=\"accepted\"}", "400")
                .containsEntry("cim_run_rows{command=\"import\",kind=\"rejected\"}", "0")
                .containsKeys("cim_run_duration_seconds{command=\"import\"}",
                        "cim_run_end_timestamp_seconds{command=\"import\"}",
                        "cim_audit_head_sequence{command=\"import\"}");

        JsonNode assigned = json(metered.require("-o", "json", "codes", "assign").out());
        Map<String, String> assign = samples(prom.resolve("cim_codes_assign.prom"));
        assertThat(assign).containsEntry("cim_run_rows{command=\"codes assign\",kind=\"linked\"}",
                        assigned.path("data").path("linked").asText())
                .containsEntry("cim_run_rows{command=\"codes assign\",kind=\"new_codes\"}",
                        assigned.path("data").path("new_codes").asText());
        assertThat(Long.parseLong(assign.get("cim_audit_head_sequence{command=\"codes assign\"}")))
                .isGreaterThan(Long.parseLong(imported.get("cim_audit_head_sequence{command=\"import\"}")));

        CliRunner.Result checked = metered.run("-o", "json", "quality", "check", "--scope", "source");
        JsonNode report = json(checked.out());
        Map<String, String> quality = samples(prom.resolve("cim_quality_check.prom"));
        assertThat(quality).containsEntry("cim_run_exit_code{command=\"quality check\"}",
                String.valueOf(checked.exit()));
        assertThat(Double.parseDouble(quality.get("cim_quality_score{command=\"quality check\",scope=\"source\"}")))
                .isEqualTo(report.path("data").path("score").asDouble());
        List<String> channels = report.path("data").path("channels").valueStream()
                .map(c -> c.path("channel").asText()).distinct().toList();
        assertThat(channels).isNotEmpty();
        for (String channel : channels) {
            assertThat(quality).containsKey("cim_quality_channel_score{command=\"quality check\",scope=\"source\","
                    + "channel=\"" + channel + "\"}");
        }

        // by branch: no branch names in the world-readable file (they are the records' own text)
        metered.run("quality", "check", "--scope", "source", "--by", "branch");
        assertThat(Files.readString(prom.resolve("cim_quality_check.prom"))).doesNotContain("branch");

        // the exporter runs as another user; no temporary file is left beside them
        for (String file : List.of("cim_import.prom", "cim_codes_assign.prom", "cim_quality_check.prom")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(prom.resolve(file))))
                    .isEqualTo("rw-r--r--");
        }
        try (Stream<Path> files = Files.list(prom)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(name -> name.endsWith(".prom"));
        }
    }

    /** A role that may not read the audit trail (an importer) gets its metrics, without the trail's head. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void aRoleThatMayNotReadTheTrailGetsItsMetricsWithoutItsHead(Backend backend) throws Exception {
        String role = "cim_importer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner owner = CliRunner.withRecords(db, "agent", "source_key,name,mobile\nA1,张三,13812345678\n");
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + role + " LOGIN");
            }
            try {
                owner.require("db", "grant", role, "--profile", "importer");
                Path file = db.directory().resolve("assign.prom");
                owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + role))
                        .require("-q", "codes", "assign", "--metrics-file", file.toString());
                assertThat(samples(file)).containsEntry("cim_run_exit_code{command=\"codes assign\"}", "0")
                        .containsEntry("cim_run_rows{command=\"codes assign\",kind=\"new_codes\"}", "1")
                        .doesNotContainKey("cim_audit_head_sequence{command=\"codes assign\"}");
            } finally {
                owner.require("db", "grant", role, "--profile", "none");
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("DROP OWNED BY " + role);
                    st.execute("DROP ROLE " + role);
                }
            }
        }
    }

    @Test
    void aFailedRunWritesItsExitCodeAndAnUnwritablePlaceIsRefusedFirst(@TempDir Path dir) throws IOException {
        CliRunner cim = new CliRunner(dir).channels("direct");
        Path file = dir.resolve("run.prom");
        CliRunner.Result missing = cim.run("import", dir.resolve("absent.csv").toString(), "--source", "direct",
                "--metrics-file", file.toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(samples(file)).containsEntry("cim_run_exit_code{command=\"import\"}",
                String.valueOf(missing.exit()));

        // a command's own usage check (exit 2) is what the metrics say too
        CliRunner.Result usage = cim.run("quality", "check", "--format", "pdf", "--metrics-file", file.toString());
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(samples(file)).containsEntry("cim_run_exit_code{command=\"quality check\"}", "2");

        Path records = Files.writeString(dir.resolve("one.csv"), "source_system,source_key,customer_type,name\n"
                + "direct,d-1,PERSON,王小明\n");
        CliRunner.Result refused = cim.run("import", records.toString(), "--source", "direct", "--metrics-file",
                dir.resolve("no-such-dir").resolve("run.prom").toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(78);
        assertThat(refused.err()).startsWith("ERROR: --metrics-file ").contains("does not exist or is not writable");
        assertThat(json(cim.require("-o", "json", "db", "status").out()).path("data").path("rows")
                .path("source_record").asLong()).as("nothing was imported").isZero();
    }

    @Test
    void helpAndTheDemosStepsWriteNone(@TempDir Path dir) throws IOException {
        Path prom = Files.createDirectories(dir.resolve("textfile"));
        CliRunner cim = new CliRunner(dir).env("CIM_METRICS_FILE", prom.toString());
        cim.require("import", "--help");
        cim.require("--version");
        assertThat(cim.with("CIM_METRICS_FILE", dir.resolve("no-such-dir").toString()).run("codes", "assign",
                "--help").exit()).as("help, even where no metrics could go").isZero();
        try (Stream<Path> files = Files.list(prom)) {
            assertThat(files).isEmpty();
        }
        cim.require("demo");
        try (Stream<Path> files = Files.list(prom)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cim_demo.prom");
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(RunMetrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    /** The samples of a metrics file, by name and labels; every line is a comment or a sample. */
    private static Map<String, String> samples(Path file) throws IOException {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a line of the text format: %s", line).isTrue();
            samples.put(sample.group(1) + "{" + sample.group(2) + "}", sample.group(3));
        }
        return samples;
    }

    private static JsonNode json(String text) {
        return JsonMapper.builder().build().readTree(text);
    }
}
