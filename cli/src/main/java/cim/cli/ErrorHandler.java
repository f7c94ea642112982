package cim.cli;

import cim.core.CimException;
import cim.core.config.Setting;
import cim.core.config.Settings;
import org.jooq.exception.DataAccessException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;

/**
 * The one place where failures become exit codes and messages: one {@code ERROR:} line and a hint on stderr, the
 * JSON envelope on stdout with {@code -o json}, and a stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

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
        if (exception instanceof DataAccessException e && isConnectionLost(e)) {
            return ExitCode.DATABASE_UNAVAILABLE;
        }
        if (exception instanceof DataAccessException e && isLockTimeout(e)) {
            return ExitCode.LOCKED;
        }
        if (exception instanceof DataAccessException e && isRefusedPrivilege(e)) {
            return ExitCode.NOT_PERMITTED;
        }
        return ExitCode.INTERNAL;
    }

    /** insufficient_privilege (42501): the database role may not do what the command needs. */
    private static boolean isRefusedPrivilege(DataAccessException e) {
        SQLException sql = e.getCause(SQLException.class);
        return sql != null && "42501".equals(sql.getSQLState());
    }

    /** H2's lock timeout (HYT00) and PostgreSQL's lock_not_available (55P03): another run holds the lock. */
    private static boolean isLockTimeout(DataAccessException e) {
        SQLException sql = e.getCause(SQLException.class);
        return sql != null && ("HYT00".equals(sql.getSQLState()) || "55P03".equals(sql.getSQLState()));
    }

    private static boolean isConnectionLost(DataAccessException e) {
        SQLException sql = e.getCause(SQLException.class);
        return sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
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
            message = "another cim run holds a lock this command needs";
            hint = "try again when it has finished";
        } else if (exit == ExitCode.NOT_PERMITTED) {
            message = "the database refused this command's role: " + describe(exception);
            hint = "run it as a role whose profile covers this command: the tables' owner gives one with "
                    + "'cim db grant ROLE --profile reader|importer|steward|auditor|admin'";
        } else if (exit == ExitCode.DATABASE_UNAVAILABLE) {
            message = "lost the connection to the database: " + exception.getMessage().lines().findFirst().orElse("");
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
        report(commandLine, exit, message, hint, json, color, verbose ? exception : null);
        return exit.code();
    }

    /**
     * The failure in one line: for a database error, the database's own words (jOOQ's wrapper may only say
     * which callback failed), with its SQL state.
     */
    static String describe(Throwable exception) {
        SQLException sql = exception instanceof DataAccessException e ? e.getCause(SQLException.class) : null;
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
