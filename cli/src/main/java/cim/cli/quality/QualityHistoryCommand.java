package cim.cli.quality;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Columns;
import cim.core.db.Database;
import cim.core.quality.QualityRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    /** The runs overall. */
    private static final Columns<QualityRuns.Run> RUNS = Columns.<QualityRuns.Run>empty()
            .add("run", "run", QualityRuns.Run::id)
            .add("started", "started_at", r -> r.startedAt().toLocalDateTime().withNano(0),
                    r -> r.startedAt().toString())
            .add("scope", "scope", QualityRuns.Run::scope)
            .add("filter", "filter", r -> r.filter() == null ? "" : r.filter(), QualityRuns.Run::filter)
            .add("score", "score", QualityRuns.Run::score)
            .add("status", "status", QualityRuns.Run::status)
            .add("actor", "actor", QualityRuns.Run::actor);

    /** One rule's results, for all channels ({@code channel} null) or one. */
    private static Columns<QualityRuns.RuleResult> results(String channel) {
        return Columns.<QualityRuns.RuleResult>empty()
                .add("run", "run", QualityRuns.RuleResult::run)
                .add("started", "started_at", r -> r.startedAt().toLocalDateTime().withNano(0),
                        r -> r.startedAt().toString())
                .add("channel", "channel", r -> channel == null ? "all" : channel, r -> channel)
                .add("checked", "checked", QualityRuns.RuleResult::checked)
                .add("failed", "failed", QualityRuns.RuleResult::failed)
                .add("ratio", "ratio", r -> r.ratio().stripTrailingZeros().toPlainString(),
                        QualityRuns.RuleResult::ratio)
                .add("status", "status", QualityRuns.RuleResult::status);
    }

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        if (rule == null) {
            session.output(spec).records("runs", QualityRuns.history(db.dsl(), limit), RUNS);
        } else {
            session.output(spec).records("runs", QualityRuns.history(db.dsl(), rule, source, limit), results(source));
        }
        return ExitCode.OK.code();
    }
}
