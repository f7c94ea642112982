package cim.cli.quality;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.quality.Catalogue;
import cim.core.quality.Rule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim quality rules`: the built-in rule catalogue with its defaults. */
@Command(name = QualityRulesCommand.NAME, sortOptions = false,
        header = "List the built-in quality rules with their default severity and threshold.",
        description = {"A rules file (--rules F of 'quality check') can change a rule's severity and threshold, "
                + "disable it, give it waivers, and add rules of its own."})
public final class QualityRulesCommand implements Callable<Integer> {
    public static final String NAME = "rules";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Table table = new Table("id", "dimension", "field", "severity", "threshold", "scope", "checks");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Rule rule : Catalogue.builtIn()) {
            String scope = Catalogue.customerScopeOnly(rule) ? "customer" : "customer, source";
            table.row(rule.id(), rule.dimension().id(), rule.field() == null ? "" : rule.field().column(),
                    rule.severity().id(), rule.threshold(), scope, rule.description());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rule.id());
            row.put("dimension", rule.dimension().id());
            row.put("field", rule.field() == null ? null : rule.field().column());
            row.put("severity", rule.severity().id());
            row.put("threshold", rule.threshold().toString());
            row.put("scope", scope);
            row.put("description", rule.description());
            rows.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rules", rows);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
