package cim.cli.audit;

import cim.cli.CheckFailed;
import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.audit.AuditAnchor;
import cim.core.audit.AuditKey;
import cim.core.audit.AuditVerifier;
import cim.core.db.Database;
import cim.core.db.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim audit verify`: walk the keyed chain (and check an anchor); exit 1 naming the first bad event. */
@Command(name = AuditVerifyCommand.NAME, sortOptions = false,
        header = "Check the audit trail's keyed chain; exit 1 naming the first changed, deleted or inserted event.",
        description = {"Recomputes every event's link (an HMAC-SHA256 under the keyset's audit key) from the previous "
                + "link and the event, checks that the sequence has no gaps, that audit_subject holds exactly each "
                + "event's customers, and that the chain's head matches the last event. Without the keyset that "
                + "wrote the trail nothing verifies: a database owner can delete or change events, but cannot make "
                + "the links fit again. Events written before schema 13 have plain SHA-256 links; they are "
                + "counted as unkeyed and accepted only before the first keyed event.",
            "",
            "Deleting the newest events and setting the head back leaves a shorter chain that fits: keep anchors "
                + "('cim audit anchor') elsewhere and give the last one with --anchor. The head is printed "
                + "(data.head in JSON) so that cron can ship it too. Exit 0 when intact, 1 when tampering is found."})
public final class AuditVerifyCommand implements Callable<Integer> {
    public static final String NAME = "verify";

    @Spec
    private CommandSpec spec;

    @Option(names = "--anchor", paramLabel = "FILE",
            description = "an anchor written by 'cim audit anchor': exit 1 when the chain no longer holds that head")
    private Path anchorFile;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        AuditAnchor anchor = anchorFile == null ? null : AuditAnchor.read(anchorFile);
        Database db = session.databaseToRead();
        Profiles.require(db.dsl(), "audit verify", Profiles.Profile.AUDITOR, Profiles.Profile.ADMIN);
        AuditKey key = session.auditKey(db);
        AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), key, anchor);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("events", v.events());
        data.put("ok", v.ok());
        data.put("unkeyed", v.unkeyed());
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("seq", v.headSeq());
        head.put("hash", v.headLink());
        data.put("head", head);
        data.put("first_bad", v.firstBad());
        data.put("problem", v.problem());
        Table table = Table.keyValue().row("events checked", v.events()).row("chain", v.ok() ? "intact" : "BROKEN")
                .row("head", v.headSeq() + " " + v.headLink());
        if (v.unkeyed() > 0) {
            table.row("unkeyed events", v.unkeyed() + " (written before schema 13, plain SHA-256)");
        }
        if (anchor != null) {
            table.row("anchor", anchor.seq() + " of " + anchor.writtenAt());
        }
        if (v.ok()) {
            session.output(spec).success(data, table);
            return ExitCode.OK.code();
        }
        table.row("first bad event", v.firstBad()).row("problem", v.problem());
        String message = "the audit trail has been tampered with: " + v.problem();
        throw new CheckFailed(message, "restore the audit tables from a backup and find out who changed them; "
                + "events before " + v.firstBad() + " are intact", data, table);
    }
}
