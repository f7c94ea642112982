package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.CodeLookup;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes xref`: every source record and its current customer code. */
@Command(name = CodesXrefCommand.NAME, sortOptions = false,
        header = "List every linked source record and its current customer code.",
        description = {"One row per source record (channel and key) with the code it is linked to now; records "
                + "not yet assigned are not listed ('cim codes assign' links them). Use -o csv for scripts."})
public final class CodesXrefCommand implements Callable<Integer> {
    public static final String NAME = "xref";

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "only this channel's records")
    private String source;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.database(false);
        Table table = new Table("source_system", "source_key", "customer_code");
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean json = session.output(spec).format() == cim.cli.Output.Format.JSON;
        new CodeLookup(db.dsl()).xref(source, r -> {
            if (json) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("source_system", r.value1());
                row.put("source_key", r.value2());
                row.put("customer_code", r.value3());
                rows.add(row);
            } else {
                table.row(r.value1(), r.value2(), r.value3());
            }
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rows", rows);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
