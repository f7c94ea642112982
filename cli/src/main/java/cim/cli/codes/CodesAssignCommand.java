package cim.cli.codes;

import cim.cli.EngineOptions;
import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Progress;
import cim.cli.render.Table;
import cim.core.codes.ChannelTrust;
import cim.core.codes.CodeAssigner;
import cim.core.config.Setting;
import cim.core.db.Database;
import cim.core.policy.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes assign`: link every source record without a code. */
@Command(name = CodesAssignCommand.NAME, sortOptions = false,
        header = "Link every source record without a code to a customer (incremental).",
        description = {"Records are taken in chunks, each one transaction: a killed run keeps the chunks it "
                + "finished, and running it again carries on. A new record is compared only with customers that "
                + "share a blocking key with it (ID number, credit or organisation code, mobile, e-mail, name + "
                + "birth date, name sound + district), never with all. A record a channel delivered again with new values keeps its code; its "
                + "customer's golden record and blocking keys are refreshed. A run with nothing new changes nothing.",
            "",
            "One run at a time: a second 'codes assign' on the same database exits 75 at once (--wait to queue). "
                + "Each chunk is audited (codes.assign, naming the policy's version), and each merge the matcher "
                + "makes (codes.merge).",
            "",
            "The policy ('cim policy') decides: a record that fails its admission rules gets no code and waits in "
                + "'cim codes pending' with its reasons (codes.refuse); delivering it again, or a policy that admits "
                + "it, has the next run code it. Its link and review thresholds and channel trust order apply; "
                + "--link-threshold, --review-threshold and --trust try others in a --dry-run only.",
            "",
            "--engine spark codes the initial load (a customer file with no customers yet) on Apache Spark: the same "
                + "customers, staged and moved into the file in one transaction, so that a failed run leaves it as "
                + "it was. On a file that has customers it runs only with --rematch: every record re-scored with the "
                + "new ones (after a change of policy or comparators); the customers keep their codes, two that now "
                + "link merge into the older code unless their records conflict or a steward separated them, and "
                + "nothing is split."})
public final class CodesAssignCommand implements Callable<Integer> {
    public static final String NAME = "assign";

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "match and count everything; store nothing (one transaction, rolled "
            + "back)")
    private boolean dryRun;

    @Option(names = "--batch", paramLabel = "ID", description = "only the records of this import batch")
    private Long batch;

    @Option(names = "--wait", description = "if another run holds the lock, wait for it instead of exiting 75")
    private boolean waitForLock;

    @Option(names = "--link-threshold", paramLabel = "SCORE", description = "with --dry-run: try this score from "
            + "which a record links by itself (a real run uses the policy's; 'cim policy show')")
    private Double linkThreshold;

    @Option(names = "--review-threshold", paramLabel = "SCORE", description = "with --dry-run: try this score from "
            + "which a record goes to the review queue (a real run uses the policy's)")
    private Double reviewThreshold;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "" + CodeAssigner.DEFAULT_CHUNK,
            description = "records per transaction (default ${DEFAULT-VALUE})")
    private int chunkSize;

    @Option(names = "--rematch", description = "with --engine spark: re-score every record of a file that has "
            + "customers, with the new ones (after a change of policy or comparators); customers keep their codes, "
            + "and two that now link are merged into the older code unless their records conflict or a steward "
            + "separated them")
    private boolean rematch;

    @Option(names = "--max-merges", paramLabel = "N", description = "with --rematch: move nothing (exit 1) if the "
            + "run would merge more than N of the customers there are into others (default: no limit)")
    private Long maxMerges;

    @Mixin
    private EngineOptions engine;

    @Override
    public Integer call() {
        boolean elsewhere = engine.elsewhere(spec);
        if (rematch && !elsewhere) {
            throw new ParameterException(spec.commandLine(), "--rematch re-scores the whole file on another engine: "
                    + "add --engine spark (on one machine, 'cim codes assign' links new records incrementally)");
        }
        if (maxMerges != null && (!rematch || maxMerges < 0)) {
            throw new ParameterException(spec.commandLine(), maxMerges < 0 ? "--max-merges must be 0 or more"
                    : "--max-merges bounds a re-match: add --engine spark --rematch (an initial load merges no "
                    + "customers there were; one machine commits chunk by chunk)");
        }
        if (chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be 1 or more");
        }
        if (!dryRun && (linkThreshold != null || reviewThreshold != null)) {
            throw new ParameterException(spec.commandLine(), (linkThreshold != null ? "--link-threshold" : "--review-"
                    + "threshold") + " only tries another threshold with --dry-run: a real run uses the policy's "
                    + "(set merging.link_threshold and review_threshold with 'cim policy set')");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Policy policy = session.policy(db, dryRun);
        CodeAssigner.Thresholds thresholds = new CodeAssigner.Thresholds(
                linkThreshold != null ? linkThreshold : policy.thresholds().link(),
                reviewThreshold != null ? reviewThreshold : policy.thresholds().review());
        if (thresholds.review() > thresholds.link()) {
            throw new ParameterException(spec.commandLine(), "the review threshold (" + thresholds.review()
                    + ") must not be above the link threshold (" + thresholds.link() + ")");
        }
        String trust = session.settings().text(Setting.TRUST);
        policy = policy.trying(thresholds, trust == null ? null : ChannelTrust.parse(trust));
        CodeAssigner assigner = new CodeAssigner(db, session.audit(db), session.protector(db));
        CodeAssigner.Options options = CodeAssigner.Options.of(batch, dryRun, waitForLock, chunkSize, policy);
        Progress progress = new Progress(session.err(), "assigning codes", 0, session.progress());
        CodeAssigner.Result result;
        if (elsewhere) {
            result = assigner.assignElsewhere(options, engine.engine().assigner(engine.setup(session, db)),
                    rematch, maxMerges);
        } else {
            result = assigner.assign(options, progress::total, progress);
        }
        progress.done();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("examined", result.examined());
        data.put("linked", result.linked());
        data.put("new_codes", result.newCodes());
        data.put("merged", result.merged());
        data.put("review", result.review());
        data.put("refreshed", result.refreshed());
        data.put("refused", result.refused());
        data.put("policy_version", policy.version());
        data.put("seconds", Math.round(result.seconds() * 100) / 100.0);
        if (dryRun) {
            data.put("dry_run", true);
        }
        Table table = Table.keyValue().row("records examined", result.examined())
                .row("linked to a customer", result.linked()).row("new codes", result.newCodes())
                .row("customers merged", result.merged()).row("sent to review", result.review())
                .row("re-delivered, refreshed", result.refreshed())
                .row("refused by admission", result.refused() + (result.refused() > 0 ? " (cim codes pending)" : ""))
                .row("policy version", policy.version())
                .row("seconds", data.get("seconds"));
        if (dryRun) {
            table.row("dry run", "nothing was stored");
        }
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
