package cim.cli.tiers;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Columns;
import cim.core.protect.CustomerField;
import cim.core.protect.Reclassification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim tiers history`: every reclassification, newest first. */
@Command(name = TiersHistoryCommand.NAME, sortOptions = false,
        header = "Show every reclassification, newest first.",
        description = "State 'running' means stored values are still being re-protected: run the same "
                + "'cim tiers set' again to finish.")
public final class TiersHistoryCommand implements Callable<Integer> {
    public static final String NAME = "history";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FIELD", arity = "0..1", description = "only this field")
    private String field;

    private static final Columns<Reclassification.Change> COLUMNS = Columns.<Reclassification.Change>empty()
            .add("id", "id", Reclassification.Change::id)
            .add("requested", "requested_at", c -> c.requestedAt().atZoneSameInstant(java.time.ZoneId.systemDefault())
                    .toLocalDateTime().withNano(0), c -> c.requestedAt().toInstant().toString())
            .add("field", "field", Reclassification.Change::field)
            .add("from", "from", Reclassification.Change::fromTier)
            .add("to", "to", Reclassification.Change::toTier)
            .add("state", "state", Reclassification.Change::state)
            .tableOnly("values", c -> c.valuesDone() + "/" + c.valuesTotal())
            .jsonOnly("values_done", Reclassification.Change::valuesDone)
            .jsonOnly("values_total", Reclassification.Change::valuesTotal)
            .add("actor", "actor", Reclassification.Change::actor)
            .add("reason", "reason", Reclassification.Change::reason)
            .jsonOnly("finished_at", c -> c.finishedAt() == null ? null : c.finishedAt().toInstant().toString());

    @Override
    public Integer call() {
        CustomerField only = field == null ? null : CustomerField.parse(field);
        Session session = Session.of(spec);
        session.output(spec).records("changes", Reclassification.history(session.databaseToRead().dsl(), only),
                COLUMNS);
        return ExitCode.OK.code();
    }
}
