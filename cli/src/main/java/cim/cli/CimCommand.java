package cim.cli;

import cim.cli.audit.AuditCommand;
import cim.cli.db.DbCommand;
import cim.cli.export.ExportCommand;
import cim.cli.ingest.ImportCommand;
import cim.cli.keys.KeysCommand;
import cim.cli.sample.SampleCommand;
import cim.cli.shell.ShellCommand;
import cim.cli.codes.CodesCommand;
import cim.cli.quality.QualityCommand;
import cim.cli.channels.ChannelsCommand;
import cim.cli.policy.PolicyCommand;
import cim.cli.tiers.TiersCommand;
import cim.core.config.Setting;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

/** The root command: global options (see {@link GlobalOptions}), the subcommands, exit codes and examples. */
@Command(name = CimCommand.NAME,
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Administer the central customer-information database.",
        description = {
            "cim collects customer records from every channel, gives every customer one code, merges and cleanses "
                + "duplicates, checks data quality, classifies every field into three tiers that decide how it is "
                + "protected, and keeps a tamper-evident audit trail.",
            "",
            "By default it works on an embedded database under $${CIM_HOME:-$${XDG_DATA_HOME:-~/.local/share}/cim}; "
                + "--db jdbc:postgresql://HOST:5432/DB points it at the central database."},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./cim demo                                   run the whole job on sample data (embedded database)",
            "  cim db migrate --db jdbc:postgresql://db1:5432/cim --db-user cim --db-password-file ~/.cim-pw",
            "  cim db status -o json                        which database, schema version, row counts",
            "  cim import agent-2026-11.csv --source agent --rejects rejects.csv --max-rejects 1%%",
            "  cim audit log --customer P0000000177 --since 7d",
            "  cim audit verify || alert 'audit trail tampered'",
            "",
            "Settings: flag > environment variable > config file (key = value) > default. Run 'man cim' or see "
                + "README.md for the full guide."})
public final class CimCommand {
    public static final String NAME = "cim";

    /**
     * The commands, in the order help lists them. They are not in the annotation: {@link Cli} builds only those a
     * run needs (building picocli's model of the whole tree is most of the start-up of a short run).
     */
    static final List<Class<?>> COMMANDS = List.of(DbCommand.class, ImportCommand.class, CodesCommand.class,
            QualityCommand.class, ExportCommand.class, TiersCommand.class, PolicyCommand.class, ChannelsCommand.class,
            KeysCommand.class, AuditCommand.class, SampleCommand.class, CompletionCommand.class, ShellCommand.class,
            DemoCommand.class);

    private final Map<Setting, String> baseFlags;
    private final Map<String, String> env;
    /** Whether its runs write --metrics-file: not those a shell or the demo runs (they write their own). */
    private final boolean metered;
    private Session session;

    /**
     * @param baseFlags global settings that apply unless a flag on the command line overrides them (how the shell
     *                  and the demo pass on their own global options)
     */
    CimCommand(Map<Setting, String> baseFlags, Map<String, String> env, boolean metered) {
        this.baseFlags = baseFlags;
        this.env = env;
        this.metered = metered;
    }

    /** @param help the run only shows help or the version: it writes no metrics, which are a job's */
    void openSession(Map<Setting, String> given, List<String> args, java.io.PrintWriter err, String command,
                     boolean help) {
        Map<Setting, String> flags = new java.util.EnumMap<>(Setting.class);
        flags.putAll(baseFlags);
        flags.putAll(given);
        session = new Session(flags, env, args, err, command, metered && !help);
    }

    /**
     * Closes the database, then writes the run's metrics with its exit code; the session's settings stay for the
     * error handler, which runs after this.
     */
    void closeSession(int exit) {
        if (session != null) {
            try {
                session.close();
            } finally {
                session.writeMetrics(exit);
            }
        }
    }

    Session session() {
        return session;
    }
}
