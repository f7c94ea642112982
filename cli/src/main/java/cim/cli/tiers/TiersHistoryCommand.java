package cim.cli.tiers;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.schema.tables.records.TierChangeRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.Reclassification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Override
    public Integer call() {
        CustomerField only = field == null ? null : CustomerField.parse(field);
        Session session = Session.of(spec);
        List<TierChangeRecord> changes = Reclassification.history(session.databaseToRead().dsl(), only);
        Table table = new Table("id", "requested", "field", "from", "to", "state", "values", "actor", "reason");
        List<Map<String, Object>> rows = changes.stream().map(c -> {
            table.row(c.getId(), c.getRequestedAt().atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime().withNano(0), c.getField(), c.getFromTier(),
                    c.getToTier(), c.getState(), c.getValuesDone() + "/" + c.getValuesTotal(), c.getActor(),
                    c.getReason());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.getId());
            row.put("requested_at", c.getRequestedAt().toInstant().toString());
            row.put("field", c.getField());
            row.put("from", c.getFromTier());
            row.put("to", c.getToTier());
            row.put("state", c.getState());
            row.put("values_done", c.getValuesDone());
            row.put("values_total", c.getValuesTotal());
            row.put("actor", c.getActor());
            row.put("reason", c.getReason());
            row.put("finished_at", c.getFinishedAt() == null ? null : c.getFinishedAt().toInstant().toString());
            return row;
        }).toList();
        session.output(spec).success(Map.of("changes", rows), table);
        return 0;
    }
}
