package cim.cli.audit;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim audit verify`: walk the hash chain; exit 1 naming the first bad event. */
@Command(name = AuditVerifyCommand.NAME, sortOptions = false,
        header = "Check the audit trail's hash chain; exit 1 naming the first changed, deleted or inserted event.",
        description = "Recomputes every event's SHA-256 hash from the previous hash and the event, checks that the "
                + "sequence has no gaps and that the chain's head matches the last event. Suited to cron and CI: "
                + "exit 0 when intact, 1 when tampering is found.")
public final class AuditVerifyCommand implements Callable<Integer> {
    public static final String NAME = "verify";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        AuditVerifier.Verification v = AuditVerifier.verify(session.database(false).dsl());

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("events", v.events());
        data.put("ok", v.ok());
        data.put("first_bad", v.firstBad());
        data.put("problem", v.problem());
        Table table = Table.keyValue().row("events checked", v.events()).row("chain", v.ok() ? "intact" : "BROKEN");
        if (v.ok()) {
            session.output(spec).success(data, table);
            return ExitCode.OK.code();
        }
        table.row("first bad event", v.firstBad()).row("problem", v.problem());
        String message = "the audit trail has been tampered with: " + v.problem();
        session.output(spec).checkFailed(data, table, ExitCode.CHECK_FAILED, message);
        spec.commandLine().getErr().println("ERROR: " + message);
        spec.commandLine().getErr().println("hint: restore the audit tables from a backup and find out who changed "
                + "them; events before " + v.firstBad() + " are intact");
        spec.commandLine().getErr().flush();
        return ExitCode.CHECK_FAILED.code();
    }
}
