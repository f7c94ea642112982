package cim.cli.channels;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.ingest.Channels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim channels list`: the registered channels. */
@Command(name = ChannelsListCommand.NAME, sortOptions = false,
        header = "List the registered channels with their owners and how many records each holds.",
        description = "Records: the channel's current source records; refused: those of them the admission rules "
                + "refused a code ('cim codes pending'). Signature: 'changed outside cim' when the channel was added "
                + "or changed in SQL rather than by 'cim channels'; imports stop (exit 77) until an admin sets it "
                + "again.")
public final class ChannelsListCommand implements Callable<Integer> {
    public static final String NAME = "list";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        Map<String, Channels.Counts> counts = Channels.counts(db.dsl());
        Table table = new Table("channel", "name", "owner", "records", "refused", "added", "signature");
        List<Map<String, Object>> rows = Channels.list(db.dsl(), session.auditKey(db)).stream().map(c -> {
            Channels.Counts n = counts.getOrDefault(c.code(), Channels.Counts.NONE);
            table.row(c.code(), c.name(), c.owner(), n.records(), n.refused(), c.addedAt().atZoneSameInstant(
                    java.time.ZoneId.systemDefault()).toLocalDate(), c.intact() ? "ok" : "changed outside cim");
            return json(c, n);
        }).toList();
        session.output(spec).success(Map.of("channels", rows), table);
        return ExitCode.OK.code();
    }

    /** What JSON says of a channel (with its counts when known). */
    static Map<String, Object> json(Channels.Channel channel, Channels.Counts counts) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("code", channel.code());
        row.put("name", channel.name());
        row.put("owner", channel.owner());
        row.put("added_at", channel.addedAt().toInstant().toString());
        row.put("changed_at", channel.changedAt() == null ? null : channel.changedAt().toInstant().toString());
        row.put("signature_ok", channel.intact());
        if (counts != null) {
            row.put("records", counts.records());
            row.put("refused", counts.refused());
        }
        return row;
    }
}
