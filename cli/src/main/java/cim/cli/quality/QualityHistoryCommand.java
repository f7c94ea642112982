package cim.cli.quality;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.quality.QualityRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim quality history`: past runs and their trend, overall or for one rule and channel. */
@Command(name = QualityHistoryCommand.NAME, sortOptions = false,
        header = "Show past quality runs: score and status, or one rule's results run by run.",
        description = {"Without --rule: one line per run (newest first) with its scope, filter, score and status. "
                + "With --rule: that rule's checked, failed and ratio per run, for all channels or one (--source)."})
public final class QualityHistoryCommand implements Callable<Integer> {
    public static final String NAME = "history";

    @Spec
    private CommandSpec spec;

    @Option(names = "--rule", paramLabel = "ID", description = "one rule's results per run")
    private String rule;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "with --rule: one channel's results "
            + "(source-scope runs)")
    private String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N runs "
            + "(default ${DEFAULT-VALUE})")
    private int limit;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        List<Map<String, Object>> rows = new ArrayList<>();
        Table table;
        if (rule == null) {
            table = new Table("run", "started", "scope", "filter", "score", "status", "actor");
            for (QualityRuns.Run r : QualityRuns.history(db.dsl(), limit)) {
                table.row(r.id(), r.startedAt().toLocalDateTime().withNano(0), r.scope(),
                        r.filter() == null ? "" : r.filter(), r.score(), r.status(), r.actor());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", r.id());
                row.put("started_at", r.startedAt().toString());
                row.put("scope", r.scope());
                row.put("filter", r.filter());
                row.put("score", r.score());
                row.put("status", r.status());
                row.put("actor", r.actor());
                rows.add(row);
            }
        } else {
            table = new Table("run", "started", "channel", "checked", "failed", "ratio", "status");
            for (QualityRuns.RuleResult r : QualityRuns.history(db.dsl(), rule, source, limit)) {
                table.row(r.run(), r.startedAt().toLocalDateTime().withNano(0), source == null ? "all" : source,
                        r.checked(), r.failed(), r.ratio().stripTrailingZeros().toPlainString(), r.status());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", r.run());
                row.put("started_at", r.startedAt().toString());
                row.put("channel", source);
                row.put("checked", r.checked());
                row.put("failed", r.failed());
                row.put("ratio", r.ratio());
                row.put("status", r.status());
                rows.add(row);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", rows);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
