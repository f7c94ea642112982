package cim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes, error lines and settings precedence, as a user meets them. */
class ErrorsAndSettingsTest {
    @TempDir
    Path dir;

    private CliRunner cim() {
        return new CliRunner(dir);
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithAHint() {
        CliRunner.Result r = cim().run("db", "status", "--dbb", "x");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("ERROR: Unknown options: '--dbb', 'x'\n")
                .contains("hint: did you mean --db").contains("Try 'cim db status --help'.")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void jsonOutputGetsAFailureEnvelopeEvenForUsageErrors() {
        CliRunner.Result r = cim().run("-o", "json", "db", "statu");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).startsWith("{\"ok\":false,\"command\":\"db\",\"error\":{\"exit\":2,\"message\":");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRunner.Result r = cim().run();
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("ERROR: Missing required subcommand")
                .contains("hint: choose one of: db, import, codes, quality, export, tiers, policy, channels, keys, audit, sample, completion, shell, demo");
        assertThat(cim().run("keys").err()).contains("choose one of: init, status, rotate");
    }

    @Test
    void anUnreachableDatabaseIsExit69WithinSecondsNamingTheHost() {
        Instant start = Instant.now();
        CliRunner.Result r = cim().run("db", "status", "--db", "jdbc:postgresql://127.0.0.1:1/cim");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(r.exit()).isEqualTo(ExitCode.DATABASE_UNAVAILABLE.code());
        assertThat(r.err()).startsWith("ERROR: cannot reach the database at 127.0.0.1:1").contains("hint: ")
                .doesNotContain("\tat ");

        CliRunner.Result verbose = cim().run("db", "status", "--db", "jdbc:postgresql://127.0.0.1:1/cim", "-v");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void anUnsupportedDatabaseIsAConfigurationError() {
        CliRunner.Result r = cim().run("db", "status", "--db", "jdbc:oracle:thin:@x");
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(r.err()).contains("--db").contains("jdbc:postgresql://");
    }

    @Test
    void aBadConfigLineIsExit78NamingFileAndLine() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.conf"), "output = json\nwhatever\n");
        CliRunner.Result r = cim().run("db", "status", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(r.err()).startsWith("ERROR: " + config + ":2: expected key = value");
    }

    @Test
    void aBadValueFromTheEnvironmentIsExit78AndFromAFlagExit2() {
        CliRunner.Result env = cim().env("CIM_OUTPUT", "xml").run("db", "status");
        assertThat(env.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(env.err()).contains("CIM_OUTPUT").contains("use one of table, json, csv");
        assertThat(cim().run("db", "status", "-o", "xml").exit()).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void precedenceIsFlagThenEnvironmentThenConfigFile() throws IOException {
        Path config = Files.writeString(dir.resolve("cim.conf"), "output = json\n");
        CliRunner fromFile = cim().env("CIM_CONFIG", config.toString());
        assertThat(fromFile.run("db", "status").out()).startsWith("{\"ok\":true");
        assertThat(fromFile.env("CIM_OUTPUT", "csv").run("db", "status").out()).startsWith("key,value\r\n");
        assertThat(fromFile.run("db", "status", "-o", "table").out()).startsWith("backend ");
    }

    @Test
    void theEmbeddedDatabaseIsNamedOnceWhenDataChangesUnlessQuiet() {
        CliRunner.Result migrate = cim().run("db", "migrate");
        assertThat(migrate.exit()).as(migrate.toString()).isZero();
        assertThat(migrate.err()).startsWith("cim: using the embedded database " + dir.resolve("home/cim.mv.db"))
                .contains("--db").contains("cim: created the keyset " + dir.resolve("home/keyset.json"))
                .hasLineCount(2);
        assertThat(cim().run("db", "migrate", "-q").err()).isEmpty();
        assertThat(cim().run("db", "status").err()).isEmpty();
        assertThat(cim().run("db", "status").out()).containsPattern("backend\\s+embedded \\(H2\\)");
    }

    @Test
    void theEmbeddedDatabaseIsMigratedOnFirstUse() {
        CliRunner.Result verify = cim().run("audit", "verify", "-o", "json");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).as("the keyset's registration, the migration and the tier registry's signature").contains("\"events\":3");
    }

    @Test
    void versionAndCompletion() {
        assertThat(cim().run("--version").out()).startsWith("cim ");
        CliRunner.Result bash = cim().run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("audit");
        assertThat(cim().run("completion", "zsh").out()).startsWith("#compdef cim");
        assertThat(cim().run("completion", "fish").out()).contains("complete -c cim");
        assertThat(cim().run("completion", "tcsh").exit()).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void badTimesAndLimitsAreUsageErrors() {
        CliRunner.Result since = cim().run("audit", "log", "--since", "yesterday");
        assertThat(since.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(since.err()).contains("'yesterday' is not a time");
        assertThat(cim().run("audit", "log", "--limit", "0").exit()).isEqualTo(ExitCode.USAGE.code());
        CliRunner.Result code = cim().run("audit", "log", "--customer", "P0000000178");
        assertThat(code.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(code.err()).contains("check character does not match").contains("did you mean P0000000177?");
    }
}
