package cim.cli.channels;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.ingest.Channels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim channels add CODE --name N --owner DEPT`: register a channel. */
@Command(name = ChannelsAddCommand.NAME, sortOptions = false,
        header = "Register a channel with its name and the department answerable for it.",
        description = "CODE is what imports give as --source or in source_system: 1 to 40 lower-case letters, "
                + "digits, '-' or '_'. Audited (channels.add).")
public final class ChannelsAddCommand implements Callable<Integer> {
    public static final String NAME = "add";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "the channel's code, e.g. wechat or bank-icbc")
    private String code;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "what the channel is, e.g. "
            + "微信公众号")
    private String name;

    @Option(names = "--owner", paramLabel = "DEPT", required = true, description = "the department answerable for "
            + "what the channel collects (Art. 4.3), e.g. 电子商务部")
    private String owner;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Channels.Channel added = db.dsl().transactionResult(tx -> Channels.add(tx.dsl(), session.audit(db),
                code.strip(), name, owner));
        session.output(spec).success(ChannelsListCommand.json(added, null),
                Table.keyValue().row("channel", added.code()).row("name", added.name()).row("owner", added.owner()));
        return ExitCode.OK.code();
    }
}
