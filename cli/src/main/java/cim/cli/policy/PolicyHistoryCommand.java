package cim.cli.policy;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.policy.PolicyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim policy history`: every version set, newest first. */
@Command(name = PolicyHistoryCommand.NAME, sortOptions = false,
        header = "Show every version of the policy, newest first.",
        description = "Each version with when and by whom it was set, why, its SHA-256, and whether it still carries "
                + "cim's signature ('changed outside cim' when a DBA edited it). Version 0, the built-in default, "
                + "is in force until the first is set.")
public final class PolicyHistoryCommand implements Callable<Integer> {
    public static final String NAME = "history";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        Table table = new Table("version", "set", "actor", "signature", "sha256", "reason");
        List<Map<String, Object>> rows = new ArrayList<>();
        PolicyStore.history(db.dsl(), session.auditKey(db)).forEach((stored, intact) -> {
            table.row(stored.policy().version(), local(stored), stored.actor(), intact ? "ok" : "changed outside cim",
                    stored.sha256().substring(0, 12), stored.reason());
            Map<String, Object> row = version(stored);
            row.put("signature_ok", intact);
            rows.add(row);
        });
        if (rows.isEmpty()) {
            table.row(0, "", "", "built in", "", "the default, until an admin sets a policy");
        }
        session.output(spec).success(Map.of("versions", rows), table);
        return ExitCode.OK.code();
    }

    /** What JSON says of a version. */
    static Map<String, Object> version(PolicyStore.Stored stored) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("version", stored.policy().version());
        row.put("built_in", stored.builtIn());
        row.put("set_at", stored.setAt() == null ? null : stored.setAt().toInstant().toString());
        row.put("actor", stored.actor());
        row.put("reason", stored.reason());
        row.put("sha256", stored.sha256());
        return row;
    }

    static LocalDateTime local(PolicyStore.Stored stored) {
        return stored.setAt() == null ? null
                : stored.setAt().atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime().withNano(0);
    }
}
