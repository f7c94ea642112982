package cim.cli.quality;

import cim.cli.CheckFailed;
import cim.cli.EngineOptions;
import cim.cli.ExitCode;
import cim.cli.Output;
import cim.cli.ScopeOption;
import cim.cli.Session;
import cim.cli.audit.TimeConverter;
import cim.core.Scope;
import cim.core.db.Database;
import cim.core.io.AtomicFile;
import cim.core.quality.QualityCheck;
import cim.core.quality.RuleStatus;
import cim.core.quality.RulesFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim quality check`: run the rules; exit 1 when a fail-level rule is breached. */
@Command(name = QualityCheckCommand.NAME, sortOptions = false,
        header = "Run the quality rules over golden or source records; exit 1 when a fail-level rule is breached.",
        description = {"Each rule counts the records it checked and those that failed; it is breached when the "
                + "failures exceed its threshold (a count, or a percentage; 0 fails on one bad record). A breached "
                + "fail-level rule makes the run fail (exit 1), a breached warn-level rule is printed (--strict makes "
                + "it fail too). --scope source checks the channels' current records and also reports each channel "
                + "on its own (Art. 4.3: whoever collects it answers for it); --by channel names each channel's "
                + "owner, --by branch reports each branch (机构代码) instead. The score is the share of checks "
                + "passed, in percent. Tier-1 values are decrypted only in memory; --failures lists every failing "
                + "record by its key (code, or channel and source key) with the rule and the reason, never a "
                + "tier-1 value. Every run is stored ('cim quality history') and audited (quality.check).",
            "",
            "Rules file (--rules F, YAML; an error in it is exit 78 naming the line):",
            "  rules:",
            "    person.id_number.checksum: {severity: fail, threshold: 0.5%%}",
            "    contact.phone.valid: {enabled: false}",
            "    org.uscc.checksum: {waive_keys: [G0000000042]}   # known exceptions by record key",
            "    contact.postal_code.valid: {waivers: ['000000']}   # by value or key (not on tier-1 fields)",
            "  custom:",
            "    - {id: custom.industry.allowed, field: industry, check: allowed,",
            "       values: [保险, 金融], severity: warn}",
            "    - {id: custom.name.no_digits, field: name, check: regex, pattern: '[^0-9]*'}",
            "      # patterns are RE2 syntax, run in linear time (no back-references or look-arounds)",
            "  params:",
            "    stale_after_days: 365",
            "",
            "On a tier-1 field (an ID number, mobile, e-mail, qq …) a rules file may tune the built-in rules and "
                + "waive by record key only: which records fail a custom rule or a value waiver there reveals the "
                + "values (198 regexes rebuild every ID number). Such a file is refused (exit 77, naming the file "
                + "and line); a steward may run it with --reason, and the run is audited as a reveal.",
            "",
            "Exit codes: 0 no fail-level rule breached (warnings printed); 1 one was (or a warning with --strict); "
                + "77 a rule reads tier-1 values without --reason, or the tier registry was changed outside cim.",
            "",
            "--engine spark checks the records on Apache Spark, in partitions of their ids: the same rules, results "
                + "and JSON (the failing keys named are the smallest ones on either engine); --failures is written "
                + "by a check on this machine only."})
public final class QualityCheckCommand implements Callable<Integer> {
    public static final String NAME = "check";

    @Spec
    private CommandSpec spec;

    @Option(names = "--scope", paramLabel = "SCOPE",
            description = "customer (golden records, default) or source (the channels' current records, per channel)")
    private String scope;

    @Option(names = "--by", paramLabel = "GROUP", description = "break the channels' current records down by "
            + "channel (with the department answerable for each) or by branch (机构代码); implies --scope source")
    private String by;

    @Option(names = "--rules", paramLabel = "FILE", description = "YAML file adjusting the built-in rules and adding "
            + "rules of its own (format above)")
    private Path rulesFile;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json, junit (JUnit XML, one test case "
            + "per rule, for CI systems) or html (one self-contained page: score, a bar per rule against its "
            + "threshold, a chart per channel with its owner, the trend); default: the --output format")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "write the report to this file (atomically) instead "
            + "of standard output")
    private Path out;

    @Option(names = "--failures", paramLabel = "FILE", description = "write every failing record (key, channel, rule, "
            + "field, reason) to this CSV file")
    private Path failures;

    @Option(names = "--where", paramLabel = "COLUMN=VALUE", description = "only records with this value: "
            + "source_system, customer_type, status or batch_id (repeatable)")
    private List<String> where = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class, description = "only records "
            + "loaded or updated since then: 2026-11-01, 2026-11-01T08:30, or 7d / 12h ago")
    private Instant since;

    @Option(names = "--strict", description = "breached warn-level rules fail the run too")
    private boolean strict;

    @Option(names = "--reason", paramLabel = "TEXT", description = "run custom rules and value waivers on tier-1 "
            + "fields, which reveal values; say why (the run is audited as a reveal)")
    private String reason;

    @Mixin
    private EngineOptions engine;

    /** The runs the HTML report's trend looks through for those of its scope and filter. */
    private static final int HISTORY = 200;

    @Override
    public Integer call() {
        QualityCheck.By group = by == null ? QualityCheck.By.CHANNEL : switch (by.toLowerCase(Locale.ROOT)) {
            case "channel" -> QualityCheck.By.CHANNEL;
            case "branch" -> QualityCheck.By.BRANCH;
            default -> throw new ParameterException(spec.commandLine(), "--by must be channel or branch");
        };
        String chosenScope = scope != null ? scope : by != null ? "source" : "customer";
        Scope chosen = ScopeOption.parse(spec, chosenScope);
        if (by != null && chosen == Scope.CUSTOMER) {
            throw new ParameterException(spec.commandLine(), "--by breaks down the channels' records: it goes with "
                    + "--scope source (a golden record has several channels and branches)");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String condition : where) {
            int eq = condition.indexOf('=');
            String column = eq < 0 ? "" : condition.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!QualityCheck.WHERE_COLUMNS.contains(column)) {
                throw new ParameterException(spec.commandLine(), "--where takes COLUMN=VALUE with COLUMN one of "
                        + String.join(", ", QualityCheck.WHERE_COLUMNS) + ", not '" + condition + "'");
            }
            filters.put(column, condition.substring(eq + 1).strip());
        }
        boolean elsewhere = engine.elsewhere(spec);
        Session session = Session.of(spec);
        String chosenFormat = (format == null ? session.output(spec).format().name() : format).toLowerCase(Locale.ROOT);
        if (!List.of("table", "json", "junit", "html", "csv").contains(chosenFormat)) {
            throw new ParameterException(spec.commandLine(), "--format must be table, json, junit or html");
        }
        RulesFile.Loaded rules = rulesFile == null ? RulesFile.defaults() : RulesFile.read(rulesFile);
        Database db = session.databaseToRead();
        QualityCheck.Report report = new QualityCheck(db, session.audit(db), session.protector(db)).run(
                new QualityCheck.Options(chosen, rules, filters,
                        since == null ? null : OffsetDateTime.ofInstant(since, ZoneOffset.UTC), failures, strict,
                        reason, group), elsewhere ? engine.engine().checker(engine.setup(session, db)) : null);

        session.metrics().quality(report);
        Map<String, Object> data = Reports.data(report);
        String message = report.failed() ? "quality check failed: " + Reports.breached(report, RuleStatus.FAIL) : null;
        if (chosenFormat.equals("junit")) {
            write(Reports.junit(report));
        } else if (chosenFormat.equals("html")) {
            write(HtmlReport.of(report, cim.core.quality.QualityRuns.history(db.dsl(), HISTORY)));
        } else if (out != null) {
            StringWriter text = new StringWriter();
            PrintWriter writer = new PrintWriter(text);
            Output.to(writer, Output.Format.valueOf(chosenFormat.toUpperCase(Locale.ROOT)), "quality check")
                    .result(data, Reports.table(report), report.failed() ? ExitCode.CHECK_FAILED : null, message);
            write(text.toString());
        } else if (chosenFormat.equals("table")) {
            if (!session.quiet() || report.failed()) {
                Reports.print(spec.commandLine().getOut(), report);
            }
        } else {
            // the format asked for (--format json prints JSON whatever -o says)
            Output.to(spec.commandLine().getOut(), Output.Format.valueOf(chosenFormat.toUpperCase(Locale.ROOT)),
                    "quality check").result(data, Reports.table(report), report.failed() ? ExitCode.CHECK_FAILED
                    : null, message);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (report.unreadable() > 0) {
            err.println("cim: warning: " + report.unreadable() + " stored values did not open (altered in the database, "
                    + "or moved from another record): checked as empty values; restore them from a backup");
        }
        if (!report.failed() && report.status() == RuleStatus.WARN && !session.quiet()) {
            err.println("warning: " + Reports.breached(report, RuleStatus.WARN));
        }
        err.flush();
        if (report.failed()) {
            throw CheckFailed.shown(message, "'cim quality check --failures FILE' lists every failing record; a rules "
                    + "file can adjust thresholds or waive known exceptions");
        }
        return ExitCode.OK.code();
    }

    private void write(String text) {
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return;
        }
        try (AtomicFile file = AtomicFile.create(out)) {
            file.write(text);
            file.commit();
        }
    }
}
