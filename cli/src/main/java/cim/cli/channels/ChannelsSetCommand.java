package cim.cli.channels;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.ingest.Channels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim channels set CODE [--name N] [--owner DEPT] --reason T`: change a channel's name or owner. */
@Command(name = ChannelsSetCommand.NAME, sortOptions = false,
        header = "Change a channel's name or the department answerable for it.",
        description = "The code stays (records and provenance name it). Audited (channels.set) with the old and new "
                + "values and the reason.")
public final class ChannelsSetCommand implements Callable<Integer> {
    public static final String NAME = "set";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "the channel's code")
    private String code;

    @Option(names = "--name", paramLabel = "NAME", description = "its new name")
    private String name;

    @Option(names = "--owner", paramLabel = "DEPT", description = "the department answerable for it now")
    private String owner;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why; kept in the audit trail")
    private String reason;

    @Override
    public Integer call() {
        if (name == null && owner == null) {
            throw new ParameterException(spec.commandLine(), "give --name, --owner or both: what changes");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Channels.Channel changed = db.dsl().transactionResult(tx -> Channels.set(tx.dsl(), session.audit(db),
                code.strip(), name, owner, reason.strip()));
        session.output(spec).success(ChannelsListCommand.json(changed, null), Table.keyValue()
                .row("channel", changed.code()).row("name", changed.name()).row("owner", changed.owner()));
        return ExitCode.OK.code();
    }
}
