package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.PendingRecords;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes pending`: the records the admission rules refused. */
@Command(name = CodesPendingCommand.NAME, sortOptions = false,
        header = "List the records the admission rules refused a code, with the reasons.",
        description = {"One row per channel record that 'codes assign' gave no code because it fails the policy's "
                + "admission rules ('cim policy show'): its channel and key, customer type, the fields that failed "
                + "(names, never values), the policy version and when. Oldest first. The channel is answerable "
                + "for completing it (Art. 4.3): delivering the record again with the missing values, or a policy "
                + "that admits it, has the next 'codes assign' give it a code, and it leaves this list.",
            "",
            "--counts shows how many each channel has instead; -o json carries both (data.total, data.channels, "
                + "data.records)."})
public final class CodesPendingCommand implements Callable<Integer> {
    public static final String NAME = "pending";

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "only this channel's records")
    private String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "list at most N records (default ${DEFAULT-VALUE}); the counts are of all")
    private int limit;

    @Option(names = "--counts", description = "show the number of records each channel has waiting instead")
    private boolean counts;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 0 or more");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        PendingRecords.Queue queue = PendingRecords.list(db.dsl(), source == null ? null : source.strip(), limit);
        Table table;
        if (counts) {
            table = new Table("channel", "refused");
            queue.perChannel().forEach(table::row);
        } else {
            table = new Table("channel", "key", "type", "reasons", "policy", "refused");
            queue.records().forEach(p -> table.row(p.sourceSystem(), p.sourceKey(), p.customerType(), p.reasons(),
                    p.policyVersion(), p.refusedAt().atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime()
                            .withNano(0)));
        }
        List<Map<String, Object>> records = queue.records().stream().map(p -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source_system", p.sourceSystem());
            row.put("source_key", p.sourceKey());
            row.put("customer_type", p.customerType());
            row.put("reasons", p.reasons());
            row.put("policy_version", p.policyVersion());
            row.put("refused_at", p.refusedAt().toInstant().toString());
            return row;
        }).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", queue.total());
        data.put("channels", queue.perChannel());
        data.put("records", records);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
