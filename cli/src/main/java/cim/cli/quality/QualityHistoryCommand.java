package cim.cli.quality;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import org.jooq.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static cim.core.db.schema.Tables.QUALITY_RESULT;
import static cim.core.db.schema.Tables.QUALITY_RUN;

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
            for (Record r : db.dsl().selectFrom(QUALITY_RUN).orderBy(QUALITY_RUN.ID.desc()).limit(limit).fetch()) {
                table.row(r.get(QUALITY_RUN.ID), r.get(QUALITY_RUN.STARTED_AT).toLocalDateTime().withNano(0),
                        r.get(QUALITY_RUN.SCOPE), r.get(QUALITY_RUN.FILTER) == null ? "" : r.get(QUALITY_RUN.FILTER),
                        r.get(QUALITY_RUN.SCORE), r.get(QUALITY_RUN.STATUS), r.get(QUALITY_RUN.ACTOR));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", r.get(QUALITY_RUN.ID));
                row.put("started_at", r.get(QUALITY_RUN.STARTED_AT).toString());
                row.put("scope", r.get(QUALITY_RUN.SCOPE));
                row.put("filter", r.get(QUALITY_RUN.FILTER));
                row.put("score", r.get(QUALITY_RUN.SCORE));
                row.put("status", r.get(QUALITY_RUN.STATUS));
                row.put("actor", r.get(QUALITY_RUN.ACTOR));
                rows.add(row);
            }
        } else {
            table = new Table("run", "started", "channel", "checked", "failed", "ratio", "status");
            for (Record r : db.dsl().select(QUALITY_RUN.ID, QUALITY_RUN.STARTED_AT, QUALITY_RESULT.SOURCE_SYSTEM,
                            QUALITY_RESULT.CHECKED, QUALITY_RESULT.FAILED, QUALITY_RESULT.RATIO, QUALITY_RESULT.STATUS)
                    .from(QUALITY_RESULT).join(QUALITY_RUN).on(QUALITY_RUN.ID.eq(QUALITY_RESULT.RUN_ID))
                    .where(QUALITY_RESULT.RULE_ID.eq(rule).and(source == null ? QUALITY_RESULT.SOURCE_SYSTEM.isNull()
                            : QUALITY_RESULT.SOURCE_SYSTEM.eq(source)))
                    .orderBy(QUALITY_RUN.ID.desc()).limit(limit).fetch()) {
                table.row(r.get(QUALITY_RUN.ID), r.get(QUALITY_RUN.STARTED_AT).toLocalDateTime().withNano(0),
                        source == null ? "all" : source, r.get(QUALITY_RESULT.CHECKED), r.get(QUALITY_RESULT.FAILED),
                        r.get(QUALITY_RESULT.RATIO).stripTrailingZeros().toPlainString(), r.get(QUALITY_RESULT.STATUS));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", r.get(QUALITY_RUN.ID));
                row.put("started_at", r.get(QUALITY_RUN.STARTED_AT).toString());
                row.put("channel", source);
                row.put("checked", r.get(QUALITY_RESULT.CHECKED));
                row.put("failed", r.get(QUALITY_RESULT.FAILED));
                row.put("ratio", r.get(QUALITY_RESULT.RATIO));
                row.put("status", r.get(QUALITY_RESULT.STATUS));
                rows.add(row);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", rows);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
