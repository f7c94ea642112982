package cim.cli;

import cim.core.db.Backend;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;
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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * quality check --format html: one self-contained page (no script, nothing loaded: its policy says so) whose
 * numbers are the JSON report's: the score and status, each rule's checked, failed, ratio and status, each channel's
 * rules and owner; the trend has a point per run of the same scope. {@link HtmlReportBrowserTest} opens it in a
 * real browser.
 */
class HtmlReportTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void thePageHoldsTheJsonReportsNumbersAndNothingFromOutside(Backend backend) throws IOException {
        try (TestDatabase db = TestDatabase.create(backend)) {
            pageOf(db.directory(), Page.made(db.directory(), CliRunner.on(db)));
        }
    }

    private static void pageOf(Path dir, Page page) throws IOException {
        assertThat(page.html()).contains("Content-Security-Policy", "default-src 'none'")
                .doesNotContain("<script", "http://", "https://", "src=");
        page.assertMatches(page.html());
        // the second run of the scope: the trend has its two points
        assertThat(Pattern.compile("<circle [^>]*data-run=").matcher(page.html()).results().count()).isEqualTo(2);

        // the nightly --since 1d runs are one series, though each stores its own absolute time
        CliRunner cim = page.cim();
        cim.run("quality", "check", "--scope", "source", "--since", "1d");
        Path since = dir.resolve("since.html");
        cim.run("quality", "check", "--scope", "source", "--since", "1d", "--format", "html", "--out",
                since.toString());
        assertThat(Pattern.compile("<circle [^>]*data-run=").matcher(Files.readString(since)).results().count())
                .isEqualTo(2);
    }

    @Test
    void hostileTextAndStoredRunsCannotAddMarkup(@TempDir Path dir) throws IOException {
        CliRunner cim = new CliRunner(dir);
        cim.require("channels", "add", "direct", "--name", "d", "--owner", "<img src=x>\"'&部");
        Path records = Files.writeString(dir.resolve("r.csv"), "source_system,source_key,customer_type,name,branch\n"
                + "direct,d-1,PERSON,王小明,\"<b onmouseover=x>\"\n");
        cim.require("-q", "import", records.toString());
        cim.run("quality", "check", "--scope", "source");
        // any profile may insert a quality run: its status is not trusted to be one
        try (Database db = Database.open(DatabaseTarget.parse(null, Path.of(cim.env().get("CIM_HOME"))),
                new Credentials(null, null), null)) {
            db.dsl().execute("INSERT INTO quality_run (scope, score, status, actor) VALUES "
                    + "('source', 50, '\"><!--', 'x')");
        }
        Path file = dir.resolve("report.html");
        cim.run("quality", "check", "--scope", "source", "--format", "html", "--out", file.toString());
        Path byBranch = dir.resolve("branches.html");
        cim.run("quality", "check", "--by", "branch", "--format", "html", "--out", byBranch.toString());
        for (String html : new String[] {Files.readString(file), Files.readString(byBranch)}) {
            assertThat(html).doesNotContain("<img", "<b ", "\"><!--", "<!--")
                    .contains("Content-Security-Policy", "base-uri 'none'");
        }
        assertThat(Files.readString(file)).contains("&lt;img src=x&gt;&quot;&#39;&amp;部", "class=\"unknown\"");
        assertThat(Files.readString(byBranch)).contains("&lt;b onmouseover=x&gt;");
    }

    /** A report made from a generated sample, with the JSON report of the same data to compare it with. */
    record Page(String html, JsonNode json, Path file, CliRunner cim) {
        /** On the embedded database in {@code dir}. */
        static Page made(Path dir) throws IOException {
            return made(dir, new CliRunner(dir));
        }

        static Page made(Path dir, CliRunner runner) throws IOException {
            CliRunner cim = runner.channels(CliRunner.SAMPLE_CHANNELS);
            Path records = dir.resolve("records.csv");
            cim.require("sample", "generate", "600", "--out", records.toString(), "--seed", "4");
            cim.require("-q", "import", records.toString());
            JsonNode json = JsonMapper.builder().build().readTree(
                    cim.run("-o", "json", "quality", "check", "--scope", "source").out());
            Path file = dir.resolve("report.html");
            CliRunner.Result html = cim.run("quality", "check", "--scope", "source", "--format", "html", "--out",
                    file.toString());
            assertThat(html.exit()).as(html.toString()).isEqualTo(json.path("ok").asBoolean() ? 0 : 1);
            return new Page(Files.readString(file), json, file, cim);
        }

        /** The numbers of a page (as written, or a browser's DOM of it) equal the JSON report's. */
        void assertMatches(String dom) {
            JsonNode data = json.path("data");
            Matcher score = Pattern.compile("data-score=\"([^\"]+)\" data-status=\"([^\"]+)\"").matcher(dom);
            assertThat(score.find()).isTrue();
            assertThat(Double.parseDouble(score.group(1))).isEqualTo(data.path("score").asDouble());
            assertThat(score.group(2)).isEqualTo(data.path("status").asText());

            Map<String, String> rules = new HashMap<>();
            Matcher row = Pattern.compile("<tr data-rule=\"([^\"]+)\" data-checked=\"(\\d+)\" data-failed=\"(\\d+)\" "
                    + "data-ratio=\"([^\"]+)\" data-status=\"(\\w+)\"").matcher(dom);
            while (row.find()) {
                rules.put(row.group(1), row.group(2) + "/" + row.group(3) + "/"
                        + Double.parseDouble(row.group(4)) + "/" + row.group(5));
            }
            Map<String, String> expected = new HashMap<>();
            data.path("rules").forEach(r -> expected.put(r.path("id").asText(), r.path("checked").asLong() + "/"
                    + r.path("failed").asLong() + "/" + r.path("ratio").asDouble() + "/" + r.path("status").asText()));
            assertThat(rules).isNotEmpty().isEqualTo(expected);

            Map<String, String> channels = new HashMap<>();
            Matcher group = Pattern.compile("<div class=\"group\" data-channel=\"([^\"]+)\" data-score=\"[^\"]+\" "
                    + "data-owner=\"([^\"]+)\">(.*?)</div>", Pattern.DOTALL).matcher(dom);
            while (group.find()) {
                Matcher bar = Pattern.compile("<g data-rule=\"([^\"]+)\" data-failed=\"(\\d+)\" data-checked=\"(\\d+)\"")
                        .matcher(group.group(3));
                while (bar.find()) {
                    channels.put(group.group(1) + " " + bar.group(1), group.group(2) + " " + bar.group(2) + "/"
                            + bar.group(3));
                }
            }
            Map<String, String> expectedChannels = new HashMap<>();
            data.path("channels").forEach(c -> expectedChannels.put(c.path("channel").asText() + " "
                    + c.path("id").asText(), c.path("owner").asText() + " " + c.path("failed").asLong() + "/"
                    + c.path("checked").asLong()));
            assertThat(channels).isNotEmpty().isEqualTo(expectedChannels);
        }
    }
}
