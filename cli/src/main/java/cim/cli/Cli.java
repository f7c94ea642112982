package cim.cli;

import cim.core.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the configured command line: global options, handlers, exit codes, help layout. */
public final class Cli {
    /** Help is laid out for this width everywhere, so that the approved help files are stable. */
    static final int HELP_WIDTH = 100;

    private Cli() {
    }

    /** The whole command tree. */
    public static CommandLine create() {
        return create(Map.of(), System.getenv());
    }

    /** The command line for a run of these arguments: the same as the whole tree's for them, built faster. */
    public static CommandLine create(String[] args) {
        return create(Map.of(), System.getenv(), true, CommandsNeeded.by(args));
    }

    static CommandLine create(Map<Setting, String> baseFlags, Map<String, String> env) {
        return create(baseFlags, env, true, CimCommand.COMMANDS);
    }

    private static CommandLine create(Map<Setting, String> baseFlags, Map<String, String> env, boolean metered,
                                      List<Class<?>> commands) {
        CimCommand root = new CimCommand(baseFlags, env, metered);
        CommandLine cmd = new CommandLine(root);
        commands.forEach(cmd::addSubcommand);
        GlobalOptions.addTo(cmd);
        ErrorHandler errors = new ErrorHandler();
        cmd.setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setExitCodeExceptionMapper(errors)
                .setExecutionStrategy(parseResult -> execute(root, parseResult))
                .setUsageHelpWidth(HELP_WIDTH)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setAbbreviatedOptionsAllowed(false);
        cmd.getCommandSpec().usageMessage().exitCodeList(exitCodeList());
        if (env.containsKey("NO_COLOR") || baseFlags.containsKey(Setting.NO_COLOR)) {
            cmd.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        }
        return cmd;
    }

    /** A new command line whose global settings default to this session's: for commands that run commands. */
    public static CommandLine childOf(Session session) {
        // its runs write no --metrics-file of their own: a shell's lines and the demo's sample steps are not the
        // jobs the metrics watch (the demo's would overwrite the nightly import's)
        return create(session.flags(), session.settings().env(), false, CimCommand.COMMANDS);
    }

    private static int execute(CimCommand root, ParseResult parseResult) {
        CommandLine executing = executingCommand(parseResult);
        root.openSession(GlobalOptions.given(parseResult), parseResult.originalArgs(), executing.getErr(),
                Output.commandName(executing.getCommandSpec()), helpRequested(parseResult));
        // the exit code the error handler will give, for the run's metrics (written once the session is closed)
        int exit = ExitCode.INTERNAL.code();
        try {
            root.session().checkMetricsFile();
            exit = new RunLast().execute(parseResult);
            return exit;
        } catch (CommandLine.ExecutionException e) {
            exit = ErrorHandler.exitCode(e.getCause() != null ? e.getCause() : e).code();
            throw e;
        } catch (CommandLine.ParameterException e) {
            // a command's own check of its arguments (picocli passes it on as it is)
            exit = ExitCode.USAGE.code();
            throw e;
        } catch (cim.core.CimException e) {
            exit = ErrorHandler.exitCode(e).code();
            throw new CommandLine.ExecutionException(executing, e.getMessage(), e);
        } catch (Error e) {
            // picocli passes only Exceptions to the handler; an Error would end the JVM with exit 1 and a raw trace
            JvmError error = new JvmError(e);
            exit = ErrorHandler.exitCode(error).code();
            throw new CommandLine.ExecutionException(executing, e.toString(), error);
        } finally {
            root.closeSession(exit);
        }
    }

    /** --help or --version, on the command or any of its parents: picocli shows it instead of running anything. */
    private static boolean helpRequested(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    private static CommandLine executingCommand(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last.commandSpec().commandLine();
    }

    static Map<String, String> exitCodeList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            list.put(String.format("%3d", code.code()), code.meaning());
        }
        return list;
    }

    /** An Error of the JVM's inside a command: reported like any other bug, exit 70. */
    static final class JvmError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JvmError(Error cause) {
            super(cause.toString(), cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
