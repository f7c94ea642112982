package cim.cli;

import cim.core.config.Setting;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs cim through the front door, as a user would, with captured output and a controlled environment
 * (its own cim home and config directory, so the developer's own files never leak into a test).
 */
public final class CliRunner {
    private final Map<String, String> env = new HashMap<>();

    /** What one run printed and returned. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public CliRunner(Path home) {
        env.put(Setting.HOME.envVar(), home.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    }

    /**
     * A runner on a test database with its own keyset, migrated, and the CSV {@code records} imported for the
     * channel: the start of every test that works on customer data.
     */
    public static CliRunner withRecords(cim.core.testing.TestDatabase db, String channel, String records)
            throws java.io.IOException {
        CliRunner cim = on(db);
        cim.channels(channel);
        Path file = java.nio.file.Files.writeString(db.directory().resolve(channel + ".csv"), records);
        cim.require("import", file.toString(), "--source", channel);
        return cim;
    }

    /** A runner on a test database with its own keyset, migrated, and nothing in it yet. */
    public static CliRunner on(cim.core.testing.TestDatabase db) {
        Path keyset = db.directory().resolve("keyset.json");
        CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url()).env("CIM_KEYSET", keyset.toString());
        cim.require("keys", "init", "--out", keyset.toString());
        cim.require("db", "migrate");
        return cim;
    }

    /** The channels records of 'cim sample generate' name. */
    public static final String[] SAMPLE_CHANNELS = cim.core.sample.SampleGenerator.CHANNELS.toArray(String[]::new);

    /** Registers the channels a test imports into (one registered already is left as it is). */
    public CliRunner channels(String... codes) {
        for (String code : codes) {
            Result added = run("channels", "add", code, "--name", code, "--owner", "test department");
            if (added.exit() != 0 && !added.err().contains("is registered already")) {
                throw new AssertionError("channels add " + code + " failed: " + added);
            }
        }
        return this;
    }

    /** Runs a step a test depends on; a failure says what it printed. */
    public Result require(String... args) {
        Result result = run(args);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    /** A runner like this one, with one variable changed (this one keeps its own). */
    public CliRunner with(String name, String value) {
        CliRunner copy = new CliRunner(Path.of("."));
        copy.env.clear();
        copy.env.putAll(env);
        return copy.env(name, value);
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        CommandLine cmd = Cli.create(Map.of(), env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** This runner's environment (its cim home, config directory and what the test set). */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /**
     * Starts cim as a process of its own (the test's class path, this runner's environment), for a test that kills
     * it: standard output and error together, read from {@link Process#getInputStream}.
     */
    public Process start(String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CIM_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits (up to five minutes) for a process {@link #start}ed; its exit code. */
    public static int waitFor(Process process) throws InterruptedException {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            throw new AssertionError("the run did not end within five minutes");
        }
        return process.exitValue();
    }

    /** What a process {@link #start}ed printed (stdout and stderr together), once it has ended. */
    public static String output(Process process) throws java.io.IOException {
        return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Runs with {@code input} as standard input (UTF-8). */
    public Result runWithInput(String input, String... args) {
        java.io.InputStream before = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(before);
        }
    }
}
