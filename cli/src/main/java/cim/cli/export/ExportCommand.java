package cim.cli.export;

import cim.cli.MaskOptions;
import cim.cli.Output;
import cim.cli.ScopeOption;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.CustomerType;
import cim.core.Scope;
import cim.core.codes.CustomerCode;
import cim.core.db.Database;
import cim.core.export.ExportOptions;
import cim.core.export.Exporter;
import cim.core.export.Purpose;
import cim.core.protect.MaskProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim export`: golden or source records to a file, masked by tier. */
@Command(name = ExportCommand.NAME, sortOptions = false,
        header = "Export golden records (or the channels' source records), masked by tier.",
        description = {"Tier-1 values are masked by default (--mask tier1): resident ID 1****************X, mobile "
                + "138****1234, e-mail l***@example.cn …; --mask tier2 masks names, addresses and the other tier-2 "
                + "fields too; --mask none shows everything in clear and needs --reason. Every export is recorded in "
                + "the audit trail with its filter, row count, mask and the file's SHA-256.",
            "",
            "The file appears whole or not at all (written beside it, then renamed once its audit event has "
                + "committed, so never without it); a path that cannot be "
                + "written is exit 73. CSV cells that a spreadsheet would run as a formula (=, +, -, @) are "
                + "neutralised with a leading apostrophe; plain numbers (+8613812345678, -5) are left as they are.",
            "",
            "A stored value that does not open (altered in the database, or put back from before a key rotation) "
                + "does not stop the export: it is written empty, counted (unreadable in -o json and in the audit "
                + "event) and named by its row and field in a warning on stderr, never by its contents. A keyset "
                + "that is not the database's still stops it (exit 77, no file), also one with the database's key "
                + "ids and other keys: then not one value opens.",
            "",
            "Purpose (PIPL Art. 6, 44): --purpose service (default) leaves out restricted customers ('codes erase "
                + "--restrict') and those whose preferences withdraw consent (\"privacy\": \"withdrawn\", "
                + "\"no-processing\", 撤回同意); marketing also those who refuse marketing (\"no-marketing\", "
                + "拒绝营销), and leaves empty the contact fields of the channels a customer refused "
                + "(\"refused_channels\": [\"sms\", \"phone\", \"email\", \"wechat\", \"qq\", \"mail\"]); "
                + "regulatory, the retention purpose, leaves out no one. How many were left out is in the summary "
                + "(left_out) and, with the purpose, in the audit event. Erased customers hold no data and are in "
                + "no export."})
public final class ExportCommand implements Callable<Integer> {
    public static final String NAME = "export";

    @Spec
    private CommandSpec spec;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "customer",
            description = "customer (golden records, default) or source (the channels' current records)")
    private String scope;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv or jsonl (default: by --out's extension: "
            + ".jsonl, .json and .ndjson give jsonl, others csv)")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file to write; - for standard "
            + "output (written privately first, its audit event committed, then printed; the summary goes to stderr)")
    private Path out;

    @Option(names = "--type", paramLabel = "TYPE", description = "only PERSON or only ORG")
    private String type;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "only the records collected by this branch "
            + "(机构代码); with --scope customer, the customers one of whose current records it collected")
    private String branch;

    @Option(names = "--customer", paramLabel = "CODE", arity = "1..*", description = "only these customer codes (a merged code: the customer it was merged into)")
    private List<String> customers;

    @Option(names = "--purpose", paramLabel = "PURPOSE", defaultValue = "service", description = "what the data is "
            + "for: marketing, service (default) or regulatory; leaves out the customers it may not use")
    private String purpose;

    @Mixin
    private MaskOptions masking;

    @Override
    public Integer call() {
        Scope chosenScope = ScopeOption.parse(spec, scope);
        MaskProfile profile = masking.profile();
        String reason = masking.reason();
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        // a .json file gets JSON Lines (one object per line) rather than CSV under a name that says JSON
        ExportOptions.Format chosenFormat = format != null ? parseFormat(format)
                : name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")
                ? ExportOptions.Format.JSONL : ExportOptions.Format.CSV;
        String customerType = type == null ? null : type.strip().toUpperCase(Locale.ROOT);
        if (customerType != null && CustomerType.parse(customerType) == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--type must be PERSON or ORG");
        }
        List<String> codes = customers == null ? null
                : customers.stream().map(c -> CustomerCode.parse(c).value()).toList();

        Purpose chosenPurpose;
        try {
            chosenPurpose = Purpose.parse(purpose);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--purpose must be marketing, "
                    + "service or regulatory");
        }

        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        // --out - : the file is written privately, its event commits, then its content goes to standard output
        boolean toStdout = out.toString().equals("-");
        Path spool = toStdout ? spoolDirectory() : null;
        Exporter.Result result;
        try {
            Path target = toStdout ? spool.resolve(chosenFormat == ExportOptions.Format.JSONL ? "out.jsonl" : "out.csv")
                    : out;
            result = new Exporter(db.dsl(), session.audit(db), session.protector(db)).export(new ExportOptions(
                    chosenScope, chosenFormat, target, customerType, codes, profile, reason, toStdout ? "-" : null,
                    branch == null || branch.isBlank() ? null : branch.strip(), chosenPurpose));
            if (toStdout) {
                copy(target, spec.commandLine().getOut());
            }
        } finally {
            if (spool != null) {
                deleteQuietly(spool);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rows", result.rows());
        data.put("file", result.file());
        data.put("sha256", result.sha256());
        data.put("mask", result.mask());
        data.put("unreadable", result.unreadable());
        data.put("purpose", result.purpose());
        data.put("left_out", result.leftOut());
        if (result.unreadable() > 0) {
            // named by row and field, never by value; the export itself went on
            session.err().println("cim: warning: " + result.unreadable() + " stored value(s) did not open and were "
                    + "written empty (altered in the database, or put back from before a key rotation): "
                    + String.join(", ", result.unreadableAt()) + (result.unreadable() > result.unreadableAt().size()
                    ? " and " + (result.unreadable() - result.unreadableAt().size()) + " more" : "")
                    + "; restore them from a backup, and see 'cim tiers verify' and 'cim audit log'");
            session.err().flush();
        }
        Table table = Table.keyValue().row("rows", result.rows()).row("file", result.file())
                .row("sha256", result.sha256()).row("mask", result.mask()).row("purpose", result.purpose())
                .row("left out", result.leftOut() + " (restricted, or their preferences withdraw this purpose)");
        if (result.unreadable() > 0) {
            table.row("unreadable values", result.unreadable());
        }
        if (toStdout) {
            // standard output holds the data: the summary goes to standard error
            if (!session.quiet()) {
                Output.to(spec.commandLine().getErr(), session.output(spec).format(), "export").success(data, table);
            }
        } else {
            session.output(spec).success(data, table);
        }
        return 0;
    }

    private static Path spoolDirectory() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("cim-export-");
            cim.core.io.PrivateFiles.ownerOnlyDirectory(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new cim.core.CimException(cim.core.Failure.OUTPUT, "cannot make a private temporary "
                    + "directory for --out -: " + e.getMessage(), "check the temporary directory (java.io.tmpdir)");
        }
    }

    private static void copy(Path file, java.io.PrintWriter out) {
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            char[] buffer = new char[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path file : files.toList()) {
                java.nio.file.Files.deleteIfExists(file);
            }
            java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // a private directory of the system's temporary files: the system cleans it
        }
    }

    private ExportOptions.Format parseFormat(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> ExportOptions.Format.CSV;
            case "jsonl" -> ExportOptions.Format.JSONL;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format must be csv or jsonl");
        };
    }
}
