package cim.cli.policy;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.policy.Admission;
import cim.core.policy.Cleansing;
import cim.core.policy.Policy;
import cim.core.policy.PolicyStore;
import cim.core.protect.CustomerField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** `cim policy show`: the policy in force. */
@Command(name = PolicyShowCommand.NAME, sortOptions = false,
        header = "Show the policy in force: its version, admission rules and merging rules.",
        description = "With --yaml, print the policy's YAML as it was set (for the built-in default, the documented "
                + "default), to edit and give to 'cim policy set'.")
public final class PolicyShowCommand implements Callable<Integer> {
    public static final String NAME = "show";

    @Spec
    private CommandSpec spec;

    @Option(names = "--yaml", description = "print the policy's YAML document instead")
    private boolean yaml;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        PolicyStore.Stored stored = PolicyStore.current(db.dsl(), session.auditKey(db));
        if (yaml) {
            spec.commandLine().getOut().print(stored.body());
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code();
        }
        Policy policy = stored.policy();
        Map<String, Object> data = new LinkedHashMap<>(PolicyHistoryCommand.version(stored));
        Map<String, Object> admission = new LinkedHashMap<>();
        Table table = Table.keyValue().row("version", policy.version() + (stored.builtIn() ? " (built-in default)"
                : ", set " + PolicyHistoryCommand.local(stored) + " by " + stored.actor()));
        for (Map.Entry<String, Admission.Rule> rule : new java.util.TreeMap<>(policy.admission().byType()).entrySet()) {
            Admission.Rule r = rule.getValue();
            admission.put(rule.getKey(), Map.of("require", names(r.required()),
                    "any_of", r.anyOf().stream().map(PolicyShowCommand::names).toList()));
            table.row("admission " + rule.getKey(), describe(r));
        }
        if (admission.isEmpty()) {
            table.row("admission", "none: every record is admitted");
        }
        data.put("admission", admission);
        data.put("merging", Map.of("link_threshold", policy.thresholds().link(),
                "review_threshold", policy.thresholds().review(), "trust", policy.trust().order()));
        table.row("link threshold", policy.thresholds().link())
                .row("review threshold", policy.thresholds().review())
                .row("channel trust", String.join(" > ", policy.trust().order()));
        Cleansing cleansing = policy.cleansing();
        data.put("cleansing", Map.of("name_blanks", cleansing.nameBlanks(), "gender", cleansing.gender(),
                "address", cleansing.address()));
        table.row("cleansing", String.join(", ", java.util.stream.Stream.of(
                cleansing.nameBlanks() ? "name blanks" : null, cleansing.gender() ? "gender" : null,
                cleansing.address() ? "address" : null).filter(java.util.Objects::nonNull).toList()));
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }

    private static List<String> names(List<CustomerField> fields) {
        return fields.stream().map(CustomerField::column).toList();
    }

    private static String describe(Admission.Rule rule) {
        List<String> parts = new java.util.ArrayList<>();
        rule.required().forEach(f -> parts.add(f.column()));
        rule.anyOf().forEach(g -> parts.add("one of (" + String.join(", ", names(g)) + ")"));
        return parts.isEmpty() ? "nothing required" : parts.stream().collect(Collectors.joining(" and "));
    }
}
