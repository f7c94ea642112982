package cim.cli.audit;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditAnchor;
import cim.core.audit.AuditKey;
import cim.core.audit.AuditVerifier;
import cim.core.db.Database;
import cim.core.db.Profiles;
import cim.core.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim audit anchor`: the chain's head, keyed, to a file kept away from the database. */
@Command(name = AuditAnchorCommand.NAME, sortOptions = false,
        header = "Write the audit chain's head (keyed) to a file, to keep away from the database.",
        description = {"The file holds one JSON line: the head's sequence number and link, the time, and a MAC under "
                + "the keyset's audit key. Keep it where the database's owner cannot change it (syslog, WORM "
                + "storage, another host); 'cim audit verify --anchor FILE' then exits 1 when the chain no longer "
                + "holds that head, for example after the newest events were deleted and the head set back. The chain "
                + "is verified first (with --previous, against the last anchor too): a broken one is exit 1 and no "
                + "anchor is written.",
            "",
            "In cron: cim -q audit anchor --out /var/lib/cim/anchor-$(date +%%F).json && logger -t cim-anchor "
                + "\"$(cat /var/lib/cim/anchor-$(date +%%F).json)\""})
public final class AuditAnchorCommand implements Callable<Integer> {
    public static final String NAME = "anchor";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "the anchor file (written whole or not at all)")
    private Path out;

    @Option(names = "--previous", paramLabel = "FILE",
            description = "the last anchor: the chain must still hold it before a new one is signed")
    private Path previous;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        Profiles.require(db.dsl(), "audit anchor", Profiles.Profile.AUDITOR, Profiles.Profile.ADMIN);
        AuditKey key = session.auditKey(db);
        // an anchor must never certify a chain that was already cut short or rewritten
        AuditVerifier.Verification v = AuditVerifier.verify(db.dsl(), key,
                previous == null ? null : AuditAnchor.read(previous));
        if (!v.ok()) {
            throw new CimException(Failure.CHECK_FAILED, "no anchor written: the audit trail has been tampered with: "
                    + v.problem(), "run 'cim audit verify' and find out who changed the audit tables");
        }
        AuditAnchor anchor = AuditAnchor.of(v.headSeq(), v.headLink(), key);
        try (AtomicFile file = AtomicFile.create(out)) {
            file.write(anchor.toJson());
            file.commit();
        }
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("seq", anchor.seq());
        head.put("hash", anchor.link());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("head", head);
        data.put("time", anchor.writtenAt().toString());
        data.put("file", out.toString());
        session.output(spec).success(data, Table.keyValue().row("head", anchor.seq() + " " + anchor.link())
                .row("time", anchor.writtenAt()).row("file", out));
        return 0;
    }
}
