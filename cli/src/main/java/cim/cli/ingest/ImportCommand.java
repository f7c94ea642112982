package cim.cli.ingest;

import cim.cli.CheckFailed;
import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Progress;
import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.db.Database;
import cim.core.ingest.Channels;
import cim.core.ingest.HeaderMapping;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.ImportResult;
import cim.core.ingest.Importer;
import cim.core.ingest.InputFile;
import cim.core.ingest.InputLimits;
import cim.core.ingest.RejectLimit;
import cim.core.ingest.RejectsFile;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim import FILE… --source CH`: channel records in, each file one all-or-nothing batch. */
@Command(name = ImportCommand.NAME, sortOptions = false,
        header = "Import customer records of a channel from CSV or JSON Lines files.",
        description = {"Each file is one batch, all or nothing: its rows are normalised (full-width characters, "
                + "15-digit IDs, phone numbers to E.164, e-mail case, dates), validated, protected by their tier and "
                + "stored as source records with their channel, batch and line. An invalid value (say a bad ID "
                + "checksum) is kept and flagged with its reason; a row that cannot be used at all (wrong column "
                + "count, no source_key, neither name nor identifier, broken JSON, a row over "
                + InputLimits.RECORD_CHARS + " or a value over " + InputLimits.FIELD_CHARS + " characters) goes to "
                + "quarantine with its line and reason. Input is data: a cell that looks encrypted (cim1:…, another "
                + "row's ciphertext) is stored as the text it is, sealed like any other in tier 1. A key the channel "
                + "already delivered, or an earlier line of the file, becomes a new version of that record; the run "
                + "says how many rows repeat a key of the file ('repeated' in -o json).",
            "",
            "The channel must be registered ('cim channels add', Art. 4.3): an import into one that is not is "
                + "refused before it reads a row (exit 65), and a row naming one in source_system goes to "
                + "quarantine.",
            "",
            "CSV needs a header row; canonical names (source_key, name, id_number, mobile …) and the usual Chinese "
                + "headers (客户编号, 姓名, 证件号码, 手机号 …) are understood, others through --mapping. JSON Lines "
                + "may also carry relations, policies, claims, accounts, assets, touchpoints, preferences and "
                + "assessment; a policy on which the customer is policyholder or insured makes them INSURED.",
            "",
            "A file already loaded for the channel (same SHA-256) is skipped, exit 0, unless --force. Files are "
                + "imported in order; a failure stops there, the files before it stay imported. A file of which not "
                + "one row was usable is exit 1 (its rows stay in quarantine, for --rejects), so cron does not take "
                + "a file that loaded nothing for a success."})
public final class ImportCommand implements Callable<Integer> {
    public static final String NAME = "import";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "CSV or JSON Lines files; - for standard input "
            + "(JSON Lines when it opens with '{', unless --format says)")
    private List<Path> files;

    @Option(names = "--source", paramLabel = "CHANNEL",
            description = "the channel the records come from (direct, agent, telesales, web, wechat, bank, broker, "
                    + "car …); a source_system column overrides it per row, and without --source every row must "
                    + "name its own")
    private String source;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv or jsonl (default: by the file's extension)")
    private InputFile.Format format;

    @Option(names = "--encoding", paramLabel = "ENCODING", description = "UTF-8 (default, with or without BOM) or "
            + "GB18030 (also reads GBK and GB2312)")
    private String encoding;

    @Option(names = "--mapping", paramLabel = "FILE", description = "'header = field' lines for columns named "
            + "otherwise")
    private Path mapping;

    @Option(names = "--dry-run", description = "read, check and count everything; store nothing")
    private boolean dryRun;

    @Option(names = "--max-rejects", paramLabel = "N|P%", description = "fail a file (exit 1, nothing stored) "
            + "when more rows than this are quarantined")
    private String maxRejects;

    @Option(names = "--rejects", paramLabel = "FILE", description = "write the quarantined rows (file, line, reason, "
            + "row with tier-1 values masked) to this CSV file")
    private Path rejectsFile;

    @Option(names = "--force", description = "import a file again even though it was loaded before")
    private boolean force;

    @Override
    public Integer call() {
        if (source != null && !Channels.plausibleCode(source)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--source must be 1 to 40 characters, "
                    + "without '/'");
        }
        RejectLimit limit = RejectLimit.parse(maxRejects);
        HeaderMapping headers = mapping == null ? HeaderMapping.builtIn() : HeaderMapping.read(mapping);
        Session session = Session.of(spec);
        Database db = dryRun ? session.databaseToRead() : session.databaseToChange();
        FieldProtector protector = dryRun ? new FieldProtector(Keyring.generate()) : session.protector(db);
        ImportOptions options = ImportOptions.into(source == null ? null : source.strip()).withMapping(headers)
                .withFormat(format, encoding).withDryRun(dryRun).withForce(force).withMaxRejects(limit);
        Importer importer = new Importer(db, session.audit(db), protector);

        List<ImportResult> results = new ArrayList<>();
        try (RejectsFile rejects = rejectsFile == null ? null : RejectsFile.create(rejectsFile)) {
            try {
                for (Path file : files) {
                    Progress progress = new Progress(session.err(), "importing " + file.getFileName(), 0,
                            session.progress());
                    if (file.toString().equals("-")) {
                        // standard input: spooled to a private file first (the import reads a file twice: to check
                        // its encoding and hash it, then to load it), named "-" in the batch and the audit trail
                        Path spool = StandardInput.spool(format);
                        try {
                            results.add(importer.importFile(spool, "-", options, rejects, progress));
                        } finally {
                            StandardInput.delete(spool);
                        }
                    } else {
                        results.add(importer.importFile(file, options, rejects, progress));
                    }
                    progress.done();
                }
            } catch (CimException e) {
                if (rejects != null && e.failure() == Failure.CHECK_FAILED) {
                    rejects.commit();
                }
                throw e;
            }
            if (rejects != null) {
                rejects.commit();
            }
        }
        List<ImportResult> unusable = results.stream()
                .filter(r -> !r.skipped() && r.read() > 0 && r.accepted() == 0).toList();
        String message = unusable.isEmpty() ? null : unusable.stream().map(r -> r.file() + " (" + r.read()
                + (r.read() == 1 ? " row" : " rows") + ")").collect(java.util.stream.Collectors.joining(", "))
                + ": not one row was usable, every one was quarantined";
        print(session, results, message);
        if (message != null) {
            // cron must not see success for a file that loaded nothing
            throw CheckFailed.shown(message, "--rejects FILE lists the rows with line and reason (never their "
                    + "values); a wrong --mapping, header row or --encoding is the usual cause");
        }
        return ExitCode.OK.code();
    }

    private void print(Session session, List<ImportResult> results, String failure) {
        Table table = new Table("file", "batch", "read", "accepted", "rejected", "result", "seconds");
        long read = 0;
        long accepted = 0;
        long rejected = 0;
        long skipped = 0;
        double seconds = 0;
        List<Map<String, Object>> perFile = new ArrayList<>();
        for (ImportResult r : results) {
            String outcome = r.skipped() ? "skipped: loaded before as batch " + r.batch() + " (--force to reload)"
                    : r.dryRun() ? "dry run: nothing stored" : "stored";
            table.row(r.file(), r.skipped() || r.dryRun() ? "" : r.batch(), r.read(), r.accepted(), r.rejected(),
                    outcome, r.seconds());
            read += r.read();
            accepted += r.accepted();
            rejected += r.rejected();
            skipped += r.skipped() ? 1 : 0;
            seconds += r.seconds();
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("file", r.file());
            file.put("batch", r.batch());
            file.put("read", r.read());
            file.put("accepted", r.accepted());
            file.put("rejected", r.rejected());
            file.put("skipped", r.skipped());
            file.put("repeated", r.repeated());
            file.put("seconds", r.seconds());
            perFile.add(file);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        ImportResult last = results.get(results.size() - 1);
        data.put("batch", last.skipped() || last.dryRun() ? null : last.batch());
        data.put("read", read);
        data.put("accepted", accepted);
        data.put("rejected", rejected);
        data.put("skipped", skipped);
        data.put("seconds", Math.round(seconds * 100) / 100.0);
        data.put("dry_run", dryRun);
        data.put("files", perFile);
        session.output(spec).result(data, table, failure == null ? null : ExitCode.CHECK_FAILED, failure);
        for (ImportResult r : results) {
            if (r.read() == 0 && !r.skipped() && !session.quiet()) {
                session.err().println("cim: " + r.file() + " holds no rows (a header at most): nothing to store");
            }
            if (r.repeated() > 0 && !session.quiet()) {
                // a file that delivers one key many times (a botched extract) is stored, but not without a word
                session.err().println("cim: " + r.file() + ": " + r.repeated() + (r.repeated() == 1 ? " row repeats"
                        : " rows repeat") + " the source key of an earlier line; each is stored as that record's "
                        + "next version, the last line current");
            }
        }
        if (rejected > 0 && rejectsFile == null && !session.quiet() && failure == null) {
            session.err().println("cim: " + rejected + (rejected == 1 ? " row was" : " rows were")
                    + " quarantined; --rejects FILE lists them with line and reason");
            session.err().flush();
        }
    }
}
