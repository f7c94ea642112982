package cim.cli;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.config.Setting;
import cim.core.config.Settings;
import cim.core.db.Backend;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;

/**
 * The one place where failures become exit codes and messages: one {@code ERROR:} line and a hint on stderr, the
 * JSON envelope on stdout with {@code -o json}, and a stack trace only with {@code --verbose}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    @Override
    public int getExitCode(Throwable exception) {
        return exitCode(exception).code();
    }

    static ExitCode exitCode(Throwable exception) {
        if (exception instanceof CimException e) {
            return ExitCode.of(e.failure());
        }
        if (exception instanceof ParameterException) {
            return ExitCode.USAGE;
        }
        if (isDiskFull(exception)) {
            return ExitCode.CANNOT_CREATE_OUTPUT;
        }
        SQLException sql = sqlCause(exception);
        if (isConnectionLost(exception, sql)) {
            return ExitCode.DATABASE_UNAVAILABLE;
        }
        // what the database's error says: a lock held by another run, a clash with one, a role not permitted
        return sql == null ? ExitCode.INTERNAL : Backend.failureOf(sql).map(ExitCode::of).orElse(ExitCode.INTERNAL);
    }

    /** The first SQLException in the cause chain (jOOQ wraps them, so may the connection pool). */
    private static SQLException sqlCause(Throwable exception) {
        for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /**
     * How the operating system says a disk (or the user's quota) is full: ENOSPC and EDQUOT as glibc words them, in
     * English and in the Chinese of a zh_CN locale (the JVM takes the system's messages), and Windows' wording.
     */
    private static final java.util.List<String> NO_SPACE = java.util.List.of("No space left on device",
            "Disk quota exceeded", "not enough space on the disk", "设备上没有空间", "超出磁盘限额");

    /**
     * A write failed for want of space (the embedded database's file, or a file being written): an I/O error saying
     * so anywhere in the cause chain (H2 wraps it in its own), or PostgreSQL's disk_full (53100).
     */
    static boolean isDiskFull(Throwable exception) {
        for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // a batch's failure is in its chain of next exceptions, each with its own causes
                for (Throwable chained : sql) {
                    if (chained != sql && isDiskFull(chained)) {
                        return true;
                    }
                }
                if (Backend.failureOf(sql).filter(f -> f == Failure.OUTPUT).isPresent()) {
                    return true;
                }
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof java.io.IOException && NO_SPACE.stream().anyMatch(message::contains)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database went away: a connection error (08…), PostgreSQL shutting down or restarting (57P01–57P03), H2's
     * broken connection or closed database (90067, 90121, 90098), or the pool finding no connection in time.
     */
    private static boolean isConnectionLost(Throwable exception, SQLException sql) {
        for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
        }
        return sql != null && Backend.connectionLost(sql);
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        ExitCode exit = exitCode(exception);
        String message;
        String hint;
        if (exception instanceof CimException e) {
            message = e.getMessage();
            hint = e.hint();
        } else if (exit == ExitCode.LOCKED) {
            message = "another cim run holds a lock this command needs, or wrote the same rows at the same time "
                    + "(nothing this command wrote was kept): " + describe(exception);
            hint = "try again when it has finished";
        } else if (exit == ExitCode.NOT_PERMITTED) {
            message = "the database refused this command's role: " + describe(exception);
            hint = "run it as a role whose profile covers this command: the tables' owner gives one with "
                    + "'cim db grant ROLE --profile reader|importer|steward|auditor|admin'";
        } else if (exit == ExitCode.CANNOT_CREATE_OUTPUT) {
            // only a full disk gets here without a CimException of its own
            message = "the disk is full: a write failed for want of space; the step it was in was rolled back, "
                    + "and no output file was left";
            hint = "free space where the database keeps its files (the embedded one: the cim home, --home) or where "
                    + "the output goes, then run the command again: it finishes the job";
        } else if (exit == ExitCode.DATABASE_UNAVAILABLE) {
            message = "lost the connection to the database, or got none in time: " + describe(exception);
            hint = "check that the database is up, then run the command again";
        } else {
            message = "internal error (a bug in cim): " + describe(exception);
            hint = "run again with --verbose for the stack trace, and report it with that output";
        }
        Session session = ((CimCommand) commandLine.getCommandSpec().root().userObject()).session();
        Settings settings = session == null ? null : session.settingsOrNull();
        boolean json = settings != null ? "json".equals(settings.text(Setting.OUTPUT))
                : wantsJson(parseResult.originalArgs());
        List<String> args = parseResult.originalArgs();
        boolean verbose = settings != null ? settings.flag(Setting.VERBOSE) : args.contains("-v")
                || args.contains("--verbose");
        boolean color = settings != null ? !settings.flag(Setting.NO_COLOR) : !args.contains(Setting.NO_COLOR.flag());
        if (exception instanceof CheckFailed failed) {
            // a finding, printed as the checks always printed it: plain, without a stack trace
            color = false;
            // the result goes to stdout first (in JSON, its envelope carries the error): no second envelope
            if (!failed.resultShown() && session != null) {
                session.output(commandLine.getCommandSpec()).result(failed.data(), failed.table(), exit, message);
            }
            json = false;
        }
        // a failed check is a finding, not a fault: no stack trace for it
        boolean trace = verbose && !(exception instanceof CheckFailed);
        report(commandLine, exit, message, hint, json, color, trace ? exception : null);
        return exit.code();
    }

    /**
     * A line of the interactive shell that is not a command it runs: the ERROR line and hint, and the shell reads
     * the next line.
     */
    public static void reportLine(CommandLine commandLine, String message, String hint) {
        report(commandLine, ExitCode.USAGE, message, hint, false, false, null);
    }

    /**
     * The failure in one line: for a database error, the database's own words (jOOQ's wrapper may only say
     * which callback failed), with its SQL state.
     */
    static String describe(Throwable exception) {
        SQLException sql = sqlCause(exception);
        if (sql == null || sql.getMessage() == null) {
            return exception.toString();
        }
        return "database error " + sql.getSQLState() + ": " + sql.getMessage().lines().findFirst().orElse("");
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        StringBuilder hint = new StringBuilder();
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            hint.append("did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append("? ");
        } else if (!cmd.getSubcommands().isEmpty()
                && ex.getMessage().startsWith("Missing required subcommand")) {
            hint.append("choose one of: ").append(String.join(", ", cmd.getSubcommands().keySet())).append(". ");
        }
        hint.append("Try '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'.");
        List<String> given = List.of(args);
        boolean verbose = given.contains("-v") || given.contains("--verbose");
        report(cmd, ExitCode.USAGE, ex.getMessage(), hint.toString(), wantsJson(given),
                !given.contains(Setting.NO_COLOR.flag()), verbose ? ex : null);
        return ExitCode.USAGE.code();
    }

    private static void report(CommandLine cmd, ExitCode exit, String message, String hint, boolean json,
                               boolean color, Throwable trace) {
        PrintWriter err = cmd.getErr();
        String line = "ERROR: " + message;
        err.println(color ? cmd.getColorScheme().errorText(line).toString() : line);
        if (hint != null && !hint.isBlank()) {
            err.println("hint: " + hint);
        }
        if (trace != null) {
            trace.printStackTrace(err);
        }
        err.flush();
        if (json) {
            String command = Output.commandName(cmd.getCommandSpec());
            cmd.getOut().println(Output.failureEnvelope(command, exit, message));
            cmd.getOut().flush();
        }
    }

    /** Whether JSON output was asked for, read from the raw arguments when they could not be parsed. */
    static boolean wantsJson(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-ojson") || arg.equals("--output=json")) {
                return true;
            }
            if ((arg.equals("-o") || arg.equals("--output")) && i + 1 < args.size() && args.get(i + 1).equals("json")) {
                return true;
            }
        }
        return "json".equals(System.getenv(Setting.OUTPUT.envVar()));
    }
}
