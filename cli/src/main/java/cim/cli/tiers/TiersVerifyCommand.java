package cim.cli.tiers;

import cim.cli.CheckFailed;
import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import cim.core.protect.ProtectionCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim tiers verify`: the registry is cim's, and every tier-1 value is sealed. */
@Command(name = TiersVerifyCommand.NAME, sortOptions = false,
        header = "Check that the tier registry is as cim set it and that every tier-1 value is encrypted.",
        description = {"Checks each registry entry against its signature under the keyset (an entry changed outside "
                + "cim, or an older one put back, fails), every stored value of a tier-1 field (golden and source "
                + "records: one in clear was written while the registry said otherwise, or by hand), and every "
                + "quarantined raw row. A field still being moved into tier 1 is reported as unfinished, not as a "
                + "failure. Reads every record once; run it from cron beside 'cim audit verify'.",
            "",
            "Exit codes: 0 all protected; 1 a changed entry or a clear value was found; 77 no keyset."})
public final class TiersVerifyCommand implements Callable<Integer> {
    public static final String NAME = "verify";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        ProtectionCheck.Result result = ProtectionCheck.run(db.dsl(), session.auditKey(db));

        List<String> changed = result.changedEntries().stream().map(CustomerField::column).toList();
        Map<String, Long> clear = new LinkedHashMap<>();
        result.clearValues().forEach((field, n) -> clear.put(field.column(), n));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ok", result.ok());
        data.put("changed_entries", changed);
        data.put("clear_values", clear);
        data.put("unfinished", result.unfinished().stream().map(CustomerField::column).toList());
        data.put("clear_quarantine_rows", result.clearQuarantine());
        Table table = Table.keyValue()
                .row("registry", changed.isEmpty() ? "signed by this keyset" : "CHANGED outside cim: "
                        + String.join(", ", changed))
                .row("tier-1 values", clear.isEmpty() ? "all encrypted" : "IN CLEAR: " + clear)
                .row("quarantined rows", result.clearQuarantine() == 0 ? "all encrypted"
                        : "IN CLEAR: " + result.clearQuarantine());
        if (!result.unfinished().isEmpty()) {
            table.row("unfinished moves", result.unfinished().stream().map(CustomerField::column).toList()
                    + " (run the same 'cim tiers set' again)");
        }
        if (result.ok()) {
            session.output(spec).success(data, table);
            return ExitCode.OK.code();
        }
        List<String> problems = new ArrayList<>();
        if (!changed.isEmpty()) {
            problems.add("the registry entries of " + String.join(", ", changed) + " were changed outside cim");
        }
        clear.forEach((field, n) -> problems.add(n + " values of " + field + " are in clear"));
        if (result.clearQuarantine() > 0) {
            problems.add(result.clearQuarantine() + " quarantined rows are in clear");
        }
        String message = "protection does not match the tier registry: " + String.join("; ", problems);
        throw new CheckFailed(message, "an admin re-protects a field and signs its entry again with 'cim tiers set "
                + "FIELD --tier 1 --reason \"…\"'; find out who wrote around cim ('cim audit log', the database's own "
                + "logs)", data, table);
    }
}
