package cim.cli;

import cim.cli.codes.CodesCommand;
import cim.cli.db.DbCommand;
import cim.cli.ingest.ImportCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run builds only the commands it needs, and parses exactly as it would with the whole tree; the version
 * alone is printed without picocli; and the version, help and completion touch no cryptography, JSON or database
 * class.
 */
class StartUpTest {
    @Test
    void aRunBuildsOnlyTheCommandsItNames() {
        assertThat(CommandsNeeded.by(new String[] {"--version"})).isEmpty();
        assertThat(CommandsNeeded.by(new String[] {"-q", "-V"})).isEmpty();
        assertThat(CommandsNeeded.by(new String[] {"db", "status"})).containsExactly(DbCommand.class);
        assertThat(CommandsNeeded.by(new String[] {"--db", "jdbc:h2:/x", "-o", "json", "db", "status"}))
                .containsExactly(DbCommand.class);
        assertThat(CommandsNeeded.by(new String[] {"--db=codes", "codes", "assign"}))
                .containsExactly(CodesCommand.class);
        assertThat(CommandsNeeded.by(new String[] {"import", "db"})).containsExactly(ImportCommand.class);
        // the whole tree: help on cim lists every command, completion covers them all, and anything unsure
        for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"--version", "--help"},
                new String[] {"completion", "bash"}, new String[] {"dbx"}, new String[] {"--bogus", "db"},
                new String[] {"-qo", "json", "db"}, new String[] {"--", "db"}, new String[] {"--db"},
                new String[] {"--help", "db", "status"}, new String[] {"--db-user", "import", "db", "status"},
                new String[] {"@args.txt"}, new String[] {"--db", "@url.txt", "db", "status"})) {
            assertThat(CommandsNeeded.by(args)).as(String.join(" ", args)).isEqualTo(CimCommand.COMMANDS);
        }
    }

    @Test
    void aRunParsesAsItWouldWithTheWholeTree() {
        for (String line : List.of("--version", "-V", "-q --version", "db status", "-o json db status",
                "--db jdbc:h2:/tmp/x db migrate", "--db=jdbc:h2:/tmp/x codes assign --chunk-size 5",
                "import a.csv --source agent", "codes show P0000000001 --reveal", "audit log --actor ops --since 2026-11-01",
                "quality check --scope source", "db", "db --help", "db bogus", "db status --bogus", "import",
                "codes assign --chunk-size", "-q", "--bogus", "dbx status", "sample generate 10 --out x.csv",
                "--help db status", "-h codes assign", "--db-user import codes assign", "--actor demo db status",
                "db status --db-user import")) {
            String[] args = line.split(" ");
            assertThat(parsed(Cli.create(args), args)).as(line).isEqualTo(parsed(Cli.create(), args));
        }
        // help asked before a command is cim's, listing every command
        for (String line : List.of("--help", "--help db status", "-h codes assign", "db --help", "codes assign -h")) {
            String[] args = line.split(" ");
            assertThat(shown(Cli.create(args), args)).as(line).isEqualTo(shown(Cli.create(), args));
        }
    }

    private static String shown(CommandLine commandLine, String[] args) {
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute(args)).isZero();
        return out.toString();
    }

    /** What picocli made of the arguments: each command's name, options and positional values; or its error. */
    private static List<String> parsed(CommandLine commandLine, String[] args) {
        List<String> parsed = new ArrayList<>();
        try {
            for (ParseResult level = commandLine.parseArgs(args); level != null; level = level.subcommand()) {
                parsed.add(level.commandSpec().qualifiedName());
                level.matchedOptions().forEach(o -> parsed.add(o.longestName() + "=" + o.getValue()));
                level.matchedPositionals().forEach(p -> parsed.add(p.paramLabel() + "=" + p.getValue()));
            }
        } catch (CommandLine.ParameterException e) {
            parsed.add("error: " + e.getMessage());
        }
        return parsed;
    }

    @Test
    void theVersionAloneIsWhatPicocliWouldPrint() throws Exception {
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        assertThat(Main.printVersion(new PrintStream(direct, true, StandardCharsets.UTF_8))).isZero();
        StringWriter picocli = new StringWriter();
        CommandLine cim = Cli.create();
        cim.setOut(new PrintWriter(picocli, true));
        assertThat(cim.execute("--version")).isZero();
        assertThat(direct.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"))
                .isEqualTo(picocli.toString().replace(System.lineSeparator(), "\n"))
                .startsWith("cim ");
        assertThat(Main.versionOnly(new String[] {"--version"})).isTrue();
        assertThat(Main.versionOnly(new String[] {"-V"})).isTrue();
        assertThat(Main.versionOnly(new String[] {"-q", "--version"})).isFalse();
        assertThat(Main.versionOnly(new String[] {"--version", "--version"})).isFalse();
    }

    @Test
    void versionHelpAndCompletionTouchNoCryptographyJsonOrDatabaseClass(@TempDir Path home) throws Exception {
        List<String> forbidden = List.of("com.google.crypto.tink.", "tools.jackson.", "com.fasterxml.jackson.",
                "java.sql.", "org.h2.", "org.postgresql.", "com.zaxxer.hikari.", "org.flywaydb.");
        for (String line : List.of("--version", "--help", "db --help", "codes assign --help", "completion bash")) {
            List<String> loaded = classesLoaded(home, line.split(" "));
            assertThat(loaded).as(line).hasSizeGreaterThan(300)
                    .noneMatch(name -> forbidden.stream().anyMatch(name::startsWith));
            if (line.equals("--version")) {
                assertThat(loaded).as("the version alone builds no command line").doesNotContain("picocli.CommandLine");
            }
        }
    }

    /** The classes a run of cim in a JVM of its own loads, by name. */
    private static List<String> classesLoaded(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xlog:class+load=info:stdout:none", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CIM_HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> names = new ArrayList<>();
        for (String l : out.split("\n")) {
            // "java.lang.Object source: jrt:/java.base"
            int source = l.indexOf(" source: ");
            if (source > 0) {
                names.add(l.substring(0, source).trim());
            }
        }
        return names;
    }
}
