package cim.core.quality;

import cim.core.Background;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.ScaleOutEngine;
import cim.core.Scope;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.codes.PendingRecords;
import cim.core.db.Database;
import cim.core.ingest.Channels;
import cim.core.io.AtomicFile;
import cim.core.io.Csv;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.TierRegistry;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.QUALITY_RESULT;
import static cim.core.db.schema.Tables.QUALITY_RUN;

/**
 * {@code cim quality check}: runs the rules over golden records (customer scope) or current source records
 * (source scope, counted per channel too, so that each channel sees its own score, Art. 4.3). Identifiers shared
 * by customers are found in SQL first; then the records are streamed once, tier-1 values decrypted only in
 * memory, and every rule is applied to each record in parallel batches. Each run is stored with its per-rule
 * (and per-channel) results for {@code quality history}, and audited.
 */
public final class QualityCheck {
    private static final int BATCH = 4_000;


    /** How source scope breaks its results down: by the channel that supplied a record, or the branch that took it. */
    public enum By { CHANNEL, BRANCH }

    /** The group of the records that name no branch. */
    public static final String NO_BRANCH = "(no branch)";

    /**
     * What to check: scope, rules, filters (field = value pairs on channel, type, status or batch; a time from
     * which records changed), where to write every failing record, whether warnings fail the run, and why rules
     * that read tier-1 values one by one may run (null: they may not).
     */
    public record Options(Scope scope, RulesFile.Loaded rules, Map<String, String> where, OffsetDateTime since,
                          Path failures, boolean strict, String reason, By by) {
        public Options(Scope scope, RulesFile.Loaded rules, Map<String, String> where, OffsetDateTime since,
                       Path failures, boolean strict) {
            this(scope, rules, where, since, failures, strict, null, By.CHANNEL);
        }
    }

    /** One rule's outcome, over all records ({@code channel} null) or one group's: a channel's, or a branch's. */
    public record Outcome(Rule rule, String channel, long checked, long failed, long waived, RuleStatus status,
                          List<String> samples) {
        public double ratio() {
            return checked == 0 ? 0 : (double) failed / checked;
        }
    }

    /** A run: its id, scope, score (percent of checks passed), status (pass, warn, fail) and outcomes. */
    /** A check's result; {@code unreadable}: stored values that did not open (altered), checked as empty. */
    public record Report(long run, Scope scope, double score, RuleStatus status, long records, List<Outcome> rules,
                         List<Outcome> channels, double seconds, long unreadable, By by, Map<String, String> owners) {
        public boolean failed() {
            return status == RuleStatus.FAIL;
        }
    }

    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;

    public QualityCheck(Database db, AuditTrail audit, FieldProtector protector) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
    }

    /** The columns {@code --where} may filter on. */
    public static final List<String> WHERE_COLUMNS = List.of("source_system", "customer_type", "status", "batch_id",
            "branch");

    /**
     * Another engine that checks a scan's records in partitions ({@code --engine spark}): each partition's tallies,
     * added up.
     */
    public interface Elsewhere {
        QualityScan.Tallies check(QualityScan scan);
    }

    public Report run(Options options) {
        return run(options, null);
    }

    /** The check, on this machine ({@code engine} null) or on another engine, which gives the same results. */
    public Report run(Options options, Elsewhere engine) {
        if (engine != null) {
            ScaleOutEngine.requireCentral(db);
        }
        if (engine != null && options.failures() != null) {
            throw new CimException(Failure.USAGE, "--failures is written by a check on this machine",
                    "leave --engine spark out to list every failing record");
        }
        List<RulesFile.ValueReader> reveals = reveals(options);
        long started = System.nanoTime();
        OffsetDateTime startedAt = OffsetDateTime.now();
        Rule.Context context = new Rule.Context(LocalDate.now(), options.rules().staleAfterDays(),
                options.scope() == Scope.CUSTOMER ? shared() : Map.of(),
                options.scope() == Scope.SOURCE ? PendingRecords.refusedKeys(db.dsl()) : Set.of());
        QualityScan scan = new QualityScan(options, context);
        List<Rule> rules = scan.rules();
        QualityScan.Tallies tallies;
        if (engine != null) {
            scan.condition();
            tallies = engine.check(scan);
        } else {
            try (AtomicFile failures = options.failures() == null ? null : AtomicFile.create(options.failures())) {
                if (failures != null) {
                    failures.write("key,channel,rule,field,reason\r\n");
                }
                tallies = db.dsl().transactionResult(tx -> scan(tx.dsl(), scan, options.by(), failures));
                if (failures != null) {
                    failures.commit();
                }
            }
        }
        List<Outcome> outcomes = tallies.total.outcomes(rules, null, options.strict());
        List<Outcome> channels = new ArrayList<>();
        tallies.groups.forEach((channel, counts) -> channels.addAll(counts.outcomes(rules, channel,
                options.strict())));
        double score = score(outcomes);
        RuleStatus status = RuleStatus.worst(outcomes.stream().map(Outcome::status).toList());
        // the history keeps per-channel results (quality history --source); a breakdown by branch is the run's view
        long runId = store(options, startedAt, score, status, outcomes,
                options.by() == By.CHANNEL ? channels : List.of(), tallies.records, reveals);
        return new Report(runId, options.scope(), score, status, tallies.records, outcomes, channels,
                (System.nanoTime() - started) / 1e9, tallies.unreadable, options.by(),
                options.by() == By.CHANNEL ? Channels.owners(db.dsl(), audit.key()) : Map.of());
    }

    /**
     * The rules file's custom rules and value waivers on tier-1 fields: which records fail them (in --failures, or
     * the waived count) says something about each value, so 198 regexes rebuild every ID number. They are refused
     * (exit 77, naming file and line) unless the run gives a reason, and then they are audited as a reveal.
     */
    private List<RulesFile.ValueReader> reveals(Options options) {
        TierRegistry registry = protector.registry(db.dsl());
        Set<CustomerField> tierOne = EnumSet.noneOf(CustomerField.class);
        registry.all().stream().filter(p -> p.tier().encrypted()).forEach(p -> tierOne.add(p.field()));
        List<RulesFile.ValueReader> reveals = options.rules().reading(tierOne);
        if (!reveals.isEmpty() && (options.reason() == null || options.reason().isBlank())) {
            throw new CimException(Failure.NOT_PERMITTED, reveals.get(0) + ", a tier-1 field: which records fail "
                    + "it would reveal the values" + (reveals.size() > 1 ? " (and " + (reveals.size() - 1)
                    + " more such rules)" : ""), "on a tier-1 field a rules file may tune the built-in rules and "
                    + "waive by record key (waive_keys:); a steward can run it with --reason, audited as a reveal");
        }
        if (!reveals.isEmpty()) {
            cim.core.db.Profiles.requireRevealer(db.dsl(), reveals.get(0) + ", a tier-1 field,");
        }
        return reveals;
    }

    /** The share of checks passed, in percent (two decimals): the run's score, or a channel's. */
    public static double score(List<Outcome> outcomes) {
        long checks = outcomes.stream().mapToLong(Outcome::checked).sum();
        long fails = outcomes.stream().mapToLong(Outcome::failed).sum();
        return checks == 0 ? 100 : Math.round(10_000.0 * (checks - fails) / checks) / 100.0;
    }

    /** Blind indexes of valid-looking identifiers that more than one live customer holds. */
    private Map<CustomerField, Set<String>> shared() {
        Map<CustomerField, Set<String>> shared = new EnumMap<>(CustomerField.class);
        for (CustomerField field : List.of(CustomerField.ID_NUMBER, CustomerField.USCC)) {
            Field<String> index = CUSTOMER.field(field.blindIndexColumn().orElseThrow(), String.class);
            shared.put(field, new HashSet<>(db.dsl().select(index).from(CUSTOMER)
                    .where(CUSTOMER.MERGED_INTO.isNull().and(index.isNotNull()))
                    .groupBy(index).having(DSL.count().gt(1)).fetch(index)));
        }
        return shared;
    }

    /** All the scan's records, read in one transaction; the next batch is read while the last one is judged. */
    private QualityScan.Tallies scan(DSLContext tx, QualityScan scan, By by, AtomicFile failures) {
        List<Rule> rules = scan.rules();
        QualityScan.Tallies tallies = new QualityScan.Tallies(rules.size());
        QualityScan.Columns columns = QualityScan.Columns.of(scan.table(), scan.scope() == Scope.SOURCE);
        AtomicLong unreadable = new AtomicLong();
        // one batch at a time is judged, so the tallies need no locks
        ExecutorService evaluator = Background.thread("cim-quality");
        Future<?> pending = null;
        try (QualityScan.Rows rows = scan.rows(tx, columns, scan.condition())) {
            List<Object[]> batch = new ArrayList<>(BATCH);
            for (Object[] row = rows.next(); row != null; row = rows.next()) {
                batch.add(row);
                if (batch.size() == BATCH) {
                    Background.await(pending);
                    List<Object[]> full = batch;
                    pending = evaluator.submit(() -> evaluate(full, scan, columns, rules, tallies, by, failures,
                            unreadable));
                    batch = new ArrayList<>(BATCH);
                }
            }
            Background.await(pending);
            evaluate(batch, scan, columns, rules, tallies, by, failures, unreadable);
        } finally {
            evaluator.shutdownNow();
        }
        tallies.unreadable += unreadable.get();
        return tallies;
    }

    private void evaluate(List<Object[]> rows, QualityScan scan, QualityScan.Columns columns, List<Rule> rules,
                          QualityScan.Tallies tallies, By by, AtomicFile failures, AtomicLong unreadable) {
        List<Verdicts> verdicts = rows.parallelStream()
                .map(row -> scan.verdicts(row, columns, rules, protector, unreadable)).toList();
        for (Verdicts v : verdicts) {
            tallies.add(v, rules, by);
            if (failures != null) {
                for (int i = 0; i < rules.size(); i++) {
                    if (v.states()[i] == Verdicts.FAILED) {
                        Rule rule = rules.get(i);
                        failures.write(Csv.cell(v.record().key()) + "," + Csv.cell(v.record().channel()) + ","
                                + Csv.cell(rule.id()) + "," + Csv.cell(rule.field() == null ? "" : rule.field().column())
                                + "," + Csv.cell(v.reasons()[i]) + "\r\n");
                    }
                }
            }
        }
    }

    private long store(Options options, OffsetDateTime startedAt, double score, RuleStatus status, List<Outcome> rules,
                       List<Outcome> channels, long records, List<RulesFile.ValueReader> reveals) {
        return db.dsl().transactionResult(tx -> {
            DSLContext t = tx.dsl();
            String filter = filterText(options);
            long run = t.insertInto(QUALITY_RUN).set(QUALITY_RUN.SCOPE, options.scope().name().toLowerCase(java.util.Locale.ROOT))
                    .set(QUALITY_RUN.FILTER, filter).set(QUALITY_RUN.RULES_SHA256, options.rules().sha256())
                    .set(QUALITY_RUN.SCORE, BigDecimal.valueOf(score)).set(QUALITY_RUN.STATUS, status.text())
                    .set(QUALITY_RUN.ACTOR, audit.context().actor()).set(QUALITY_RUN.STARTED_AT, startedAt)
                    .set(QUALITY_RUN.FINISHED_AT, OffsetDateTime.now())
                    .returning(QUALITY_RUN.ID).fetchSingle().getId();
            List<Outcome> all = new ArrayList<>(rules);
            all.addAll(channels);
            var insert = t.insertInto(QUALITY_RESULT, QUALITY_RESULT.RUN_ID, QUALITY_RESULT.RULE_ID,
                    QUALITY_RESULT.DIMENSION, QUALITY_RESULT.FIELD, QUALITY_RESULT.SEVERITY, QUALITY_RESULT.SOURCE_SYSTEM,
                    QUALITY_RESULT.CHECKED, QUALITY_RESULT.FAILED, QUALITY_RESULT.RATIO, QUALITY_RESULT.STATUS);
            for (Outcome o : all) {
                insert = insert.values(run, o.rule().id(), o.rule().dimension().id(),
                        o.rule().field() == null ? null : o.rule().field().column(), o.rule().severity().id(),
                        o.channel(), o.checked(), o.failed(),
                        BigDecimal.valueOf(o.ratio()).setScale(6, RoundingMode.HALF_UP), o.status().text());
            }
            if (!all.isEmpty()) {
                insert.execute();
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("run", run);
            detail.put("scope", options.scope().name().toLowerCase(java.util.Locale.ROOT));
            detail.put("score", score);
            detail.put("status", status.text());
            detail.put("rules_sha256", options.rules().sha256());
            detail.put("filter", filter);
            AuditEntry event = AuditEntry.of("quality.check").object("quality_run", String.valueOf(run)).rows(records);
            if (!reveals.isEmpty()) {
                // a reveal: what read tier-1 values, and why
                detail.put("reveals", reveals.stream().map(RulesFile.ValueReader::toString).toList());
                detail.put("reveal", true);
                event = event.reason(options.reason());
            }
            audit.append(t, event.detail(detail));
            return run;
        });
    }

    private static String filterText(Options options) {
        List<String> parts = new ArrayList<>();
        options.where().forEach((k, v) -> parts.add(k + "=" + v));
        if (options.since() != null) {
            parts.add("since " + options.since());
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
