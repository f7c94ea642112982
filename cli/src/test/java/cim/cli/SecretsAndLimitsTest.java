package cim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Secret files others can read, passwords on the command line, output that a terminal or spreadsheet runs. */
class SecretsAndLimitsTest {
    @TempDir
    Path dir;

    private CliRunner cim() {
        return new CliRunner(dir);
    }

    @Test
    void aKeysetOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        Path keyset = dir.resolve("keyset.json");
        cim().require("keys", "init", "--out", keyset.toString());
        assertThat(cim().run("audit", "verify", "--keyset", keyset.toString()).exit()).isZero();
        Files.setPosixFilePermissions(keyset, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result refused = cim().run("audit", "verify", "--keyset", keyset.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(refused.err()).startsWith("ERROR: --keyset: " + keyset + " can be read or written by others")
                .contains("mode rw-r--r--").contains("hint: run 'chmod 600 " + keyset + "'");
    }

    @Test
    void aPasswordFileOthersCanReadIsRefused() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-rw----"));
        CliRunner.Result refused = cim().run("db", "status", "--db", "jdbc:postgresql://127.0.0.1:1/cim",
                "--db-password-file", password.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(refused.err()).contains("--db-password-file: " + password).contains("chmod 600")
                .doesNotContain("s3cret");
    }

    @Test
    void aPasswordInTheDatabaseUrlIsWarnedAbout() {
        CliRunner.Result status = cim().run("db", "status", "--db", "jdbc:postgresql://127.0.0.1:1/cim?password=s3cret");
        assertThat(status.err()).contains("cim: warning: the --db URL holds a password").doesNotContain("s3cret");
    }

    @Test
    void csvOutputIsGuardedAgainstFormulasAndTablesAgainstTerminalControls() {
        cim().require("db", "migrate", "--actor", "=HYPERLINK(\"http://x\")");
        CliRunner.Result csv = cim().run("audit", "log", "-o", "csv");
        assertThat(csv.out()).contains(",\"'=HYPERLINK(\"\"http://x\"\")\",").doesNotContain(",=HYPERLINK");
        assertThat(cim.core.io.Csv.guarded("+8613812345678")).as("a number is not a formula").isEqualTo("+8613812345678");
        assertThat(cim.core.io.Csv.guarded("-5")).isEqualTo("-5");
        assertThat(cim.core.io.Csv.guarded("-1+cmd|' /C calc'!A0")).startsWith("'");
        assertThat(cim.core.io.Csv.guarded("@SUM(1)")).isEqualTo("'@SUM(1)");

        cim().require("tiers", "set", "postal_code", "--tier", "1", "--reason", "x\u001b]0;owned\u0007\u001b[2J\u202Eevil");
        CliRunner.Result table = cim().run("audit", "log");
        assertThat(table.out()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202E")
                .contains("x\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFDevil");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new StackOverflowError();
        }
    }

    @Test
    void anErrorOfTheJvmIsAnInternalErrorWithExit70() {
        CommandLine cmd = Cli.create(Map.of(), Map.of("CIM_HOME", dir.toString()));
        cmd.addSubcommand(new Boom());
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cmd.execute("boom")).isEqualTo(ExitCode.INTERNAL.code());
        assertThat(err.toString()).startsWith("ERROR: internal error (a bug in cim): java.lang.StackOverflowError")
                .doesNotContain("\tat ");
    }
}
