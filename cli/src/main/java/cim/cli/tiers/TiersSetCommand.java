package cim.cli.tiers;

import cim.cli.Session;
import cim.cli.render.Progress;
import cim.cli.render.Table;
import cim.core.codes.CodeAssigner;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.protect.CustomerField;
import cim.core.protect.Reclassification;
import cim.core.protect.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim tiers set FIELD --tier N --reason T`: reclassify a field and re-protect its stored values. */
@Command(name = TiersSetCommand.NAME, sortOptions = false,
        header = "Move a field to another tier and re-protect its stored values (Art. 10).",
        description = {"Moving a field into tier 1 encrypts every stored value; moving it out decrypts them; "
                + "between tiers 2 and 3 only the masking changes. The registry changes first, once the imports "
                + "under way have committed (on PostgreSQL waiting up to 60 s, then exit 75) and a running codes "
                + "assign, merge or unmerge has finished (it waits, saying so), so new writes use the new protection "
                + "at once; stored values follow in batches, each committed with its progress. "
                + "If the run is interrupted, run the same command again: it finishes the job.",
            "",
            "Moving a field out of tier 1 decrypts its values and unmasks it in default exports: it is refused "
                + "(exit 77) unless --allow-reveal names that decision, and is then audited as a reveal with the "
                + "number of values. Moving a field into tier 1 also masks it in quarantine's copies for people.",
            "",
            "Each registry entry is signed with the keyset; an entry changed outside cim stops every command that "
                + "protects values (exit 77) until an admin sets its tier again here, which re-protects all its "
                + "values to that tier and signs it.",
            "",
            "The change is versioned ('cim tiers history') and audited. It needs the keyset."})
public final class TiersSetCommand implements Callable<Integer> {
    public static final String NAME = "set";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FIELD", description = "the field, as 'cim tiers list' names it (e.g. postal_code)")
    private String field;

    @Option(names = "--tier", paramLabel = "N", required = true, description = "the new tier: 1, 2 or 3")
    private int tier;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (required unless --dry-run); kept in the "
            + "tier history and the audit trail")
    private String reason;

    @Option(names = "--allow-reveal", description = "allow moving the field out of tier 1, which decrypts its stored "
            + "values and unmasks it in default exports (audited as a reveal)")
    private boolean allowReveal;

    @Option(names = "--dry-run", description = "show how many stored values would change protection; change nothing")
    private boolean dryRun;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Reclassification.DEFAULT_BATCH,
            description = "values re-protected per transaction (default ${DEFAULT-VALUE})")
    private int batchSize;

    @Override
    public Integer call() {
        CustomerField target = CustomerField.parse(field);
        Tier to = Tier.of(tier);
        if (batchSize < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be 1 or more");
        }
        if (!dryRun && (reason == null || reason.isBlank())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reason is required: say why "
                    + "the field is reclassified (it is kept in the tier history and the audit trail)");
        }
        Session session = Session.of(spec);
        Database db = dryRun ? session.databaseToRead() : session.databaseToChange();
        Reclassification reclassification = new Reclassification(db.dsl(), session.audit(db));
        Reclassification.Impact impact = reclassification.plan(target, to);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("field", target.column());
        data.put("from", impact.from().level());
        data.put("to", to.level());
        if (dryRun) {
            data.put("values", impact.values());
            data.put("reprotect", impact.reprotect());
            data.put("reveal", impact.reveals());
            data.put("dry_run", true);
            session.output(spec).success(data, Table.keyValue().row("field", target).row("from tier", impact.from())
                    .row("to tier", to).row("values to re-protect", impact.values())
                    .row("change", impact.reprotect() ? (to.encrypted() ? "encrypt" : "decrypt") : "masking only")
                    .row("reveal", impact.reveals() ? "yes (needs --allow-reveal)" : "no")
                    .row("dry run", "nothing was changed"));
            return 0;
        }
        Progress progress = new Progress(session.err(), "re-protecting " + target, impact.values(),
                session.progress());
        Reclassification.Outcome outcome;
        // codes assign, merge and unmerge copy stored values into golden records: one running while the values are
        // re-protected could copy a value read before into a record already done, so they take turns
        try (JobLock lock = goldenRecordsLock(session, db)) {
            // a lock whose session ended (a connection cut while idle) is no lock: no batch commits without it
            outcome = reclassification.apply(target, to, reason, allowReveal, session.protector(db), batchSize,
                    progress, tx -> lock.verify(tx, "cim tiers set"));
        }
        progress.done();
        data.put("values", outcome.values());
        data.put("resumed", outcome.resumed());
        data.put("unreadable", outcome.unreadable());
        session.output(spec).success(data, Table.keyValue().row("field", target).row("from tier", outcome.from())
                .row("to tier", to).row("values re-protected", outcome.values())
                .row("resumed", outcome.resumed() ? "yes (an interrupted run was finished)" : "no"));
        if (outcome.unreadable() > 0) {
            session.err().println("cim: warning: " + outcome.unreadable() + " stored " + target + " values did not "
                    + "open (altered in the database, or moved from another record) and were left as they were; "
                    + "restore them from a backup");
            session.err().flush();
        }
        return 0;
    }

    /** The lock of the jobs that write golden records; waits (saying so) for one that runs. */
    private static JobLock goldenRecordsLock(Session session, Database db) {
        try {
            return JobLock.acquire(db, CodeAssigner.LOCK, "cim tiers set", CodeAssigner.HOLDERS, false);
        } catch (cim.core.CimException e) {
            if (e.failure() != cim.core.Failure.LOCKED) {
                throw e;
            }
            session.notice("waiting for the run that writes golden records (" + CodeAssigner.HOLDERS + ") to finish "
                    + "before changing the tier ...");
            return JobLock.acquire(db, CodeAssigner.LOCK, "cim tiers set", CodeAssigner.HOLDERS, true);
        }
    }
}
