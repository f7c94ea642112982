package cim.cli.codes;

import cim.core.CimException;
import cim.core.Failure;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer's value that a command searches for or sets: read from standard input, or asked for without echo on a
 * terminal, never taken from the command line, where it would show in {@code ps}, the shell history and the audit
 * trail's command line. The option itself takes {@code -}; anything else is refused without being repeated.
 */
public final class ValueInput {
    /** What a command running inside another (the demo) reads instead of the terminal and standard input. */
    private static final ThreadLocal<String> GIVEN = new ThreadLocal<>();

    /** What an option that reads its value from standard input takes. */
    static final String STDIN = "-";
    /** More than any value of one field holds: a longer input is a mistake (a file piped in). */
    private static final int LIMIT = 64 * 1024;

    private ValueInput() {
    }

    /** Refuses a value given on the command line for {@code option}, without repeating it. */
    static void requireStdin(CommandSpec spec, String option, String given) {
        if (given != null && !STDIN.equals(given)) {
            throw new ParameterException(spec.commandLine(), option + " takes '-' and reads the value from standard "
                    + "input: a value on the command line shows in ps, the shell history and the audit trail "
                    + "(e.g. printf '%s\\n' \"$VALUE\" | cim " + spec.qualifiedName(" ").replaceFirst("^cim ", "")
                    + " " + option + " -)");
        }
    }

    /**
     * The values asked for, one per line of standard input in the order of {@code names}; on a terminal each is asked
     * for by name without echo. A value left out is null.
     */
    static List<String> read(List<String> names) {
        String given = GIVEN.get();
        if (given != null) {
            return lines(given, names);
        }
        Console console = System.console();
        List<String> values = new ArrayList<>();
        if (console != null) {
            for (String name : names) {
                char[] typed = console.readPassword("%s: ", name);
                values.add(typed == null ? null : new String(typed));
            }
            return values;
        }
        return lines(readAll(System.in), names);
    }

    /**
     * Runs {@code step} (a command run by another, the demo) with {@code input} as what its value options read: the
     * demo pipes in a sample value and never asks on the terminal.
     */
    public static int withInput(String input, java.util.function.IntSupplier step) {
        GIVEN.set(input);
        try {
            return step.getAsInt();
        } finally {
            GIVEN.remove();
        }
    }

    private static List<String> lines(String text, List<String> names) {
        List<String> values = new ArrayList<>();
        List<String> lines = List.of(text.split("\r?\n", -1));
        for (int i = 0; i < names.size(); i++) {
            values.add(i < lines.size() && !lines.get(i).isBlank() ? lines.get(i) : null);
        }
        return values;
    }

    private static String readAll(InputStream in) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            // standard input is read to its end but not closed (a shell may read its next command from it)
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                if (bytes.size() > LIMIT) {
                    throw new CimException(Failure.INPUT, "standard input holds more than " + LIMIT / 1024
                            + " KiB: one value is expected", "pipe in the value alone (printf '%s\\n' \"$VALUE\")");
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CimException(Failure.INPUT, "cannot read standard input: " + e.getMessage(),
                    "pipe the value in, or run on a terminal to be asked for it");
        }
    }
}
