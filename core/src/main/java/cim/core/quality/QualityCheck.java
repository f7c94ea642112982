package cim.core.quality;

import cim.core.Background;
import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
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
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
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
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.QUALITY_RESULT;
import static cim.core.db.schema.Tables.QUALITY_RUN;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

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
    private final java.util.concurrent.atomic.AtomicLong unreadable = new java.util.concurrent.atomic.AtomicLong();

    public QualityCheck(Database db, AuditTrail audit, FieldProtector protector) {
        this.db = db;
        this.audit = audit;
        this.protector = protector;
    }

    /** The columns {@code --where} may filter on. */
    public static final List<String> WHERE_COLUMNS = List.of("source_system", "customer_type", "status", "batch_id",
            "branch");

    public Report run(Options options) {
        List<RulesFile.ValueReader> reveals = reveals(options);
        long started = System.nanoTime();
        OffsetDateTime startedAt = OffsetDateTime.now();
        List<Rule> rules = options.rules().rules().stream()
                .filter(r -> options.scope() == Scope.CUSTOMER ? !Catalogue.sourceScopeOnly(r)
                        : !Catalogue.customerScopeOnly(r)).toList();
        Rule.Context context = new Rule.Context(LocalDate.now(), options.rules().staleAfterDays(),
                options.scope() == Scope.CUSTOMER ? shared() : Map.of(),
                options.scope() == Scope.SOURCE ? PendingRecords.refusedKeys(db.dsl()) : Set.of());
        RuleTally total = new RuleTally(rules.size());
        Map<String, RuleTally> perChannel = new TreeMap<>();
        long records;
        try (AtomicFile failures = options.failures() == null ? null : AtomicFile.create(options.failures())) {
            if (failures != null) {
                failures.write("key,channel,rule,field,reason\r\n");
            }
            records = db.dsl().transactionResult(tx -> scan(tx.dsl(), options, rules, context, total, perChannel,
                    failures));
            if (failures != null) {
                failures.commit();
            }
        }
        List<Outcome> outcomes = total.outcomes(rules, null, options.strict());
        List<Outcome> channels = new ArrayList<>();
        perChannel.forEach((channel, counts) -> channels.addAll(counts.outcomes(rules, channel, options.strict())));
        double score = score(outcomes);
        RuleStatus status = RuleStatus.worst(outcomes.stream().map(Outcome::status).toList());
        // the history keeps per-channel results (quality history --source); a breakdown by branch is the run's view
        long runId = store(options, startedAt, score, status, outcomes,
                options.by() == By.CHANNEL ? channels : List.of(), records, reveals);
        return new Report(runId, options.scope(), score, status, records, outcomes, channels,
                (System.nanoTime() - started) / 1e9, unreadable.get(), options.by(),
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

    private long scan(DSLContext tx, Options options, List<Rule> rules, Rule.Context context, RuleTally total,
                      Map<String, RuleTally> perChannel, AtomicFile failures) {
        boolean source = options.scope() == Scope.SOURCE;
        Table<?> table = source ? SOURCE_RECORD : CUSTOMER;
        Condition where = source ? SOURCE_RECORD.IS_CURRENT.isTrue() : CUSTOMER.MERGED_INTO.isNull();
        for (Map.Entry<String, String> filter : options.where().entrySet()) {
            Field<?> column = table.field(filter.getKey());
            if (column == null) {
                throw new CimException(Failure.USAGE, "--where " + filter.getKey() + " does not apply to the "
                        + options.scope().name().toLowerCase(java.util.Locale.ROOT) + " scope",
                        "golden records have customer_type and status; source records also source_system and batch_id");
            }
            where = where.and(DSL.field(column.getQualifiedName(), String.class).cast(String.class)
                    .eq(filter.getValue()));
        }
        Field<OffsetDateTime> changed = source ? SOURCE_RECORD.LOADED_AT : CUSTOMER.UPDATED_AT;
        if (options.since() != null) {
            where = where.and(changed.ge(options.since()));
        }
        Columns columns = Columns.of(table, source);
        // the next batch is read while the last one is evaluated (one at a time, so the counts need no locks)
        ExecutorService evaluator = Background.thread("cim-quality");
        long records = 0;
        Future<?> pending = null;
        try (Cursor<? extends Record> cursor = tx.selectFrom(table).where(where).fetchSize(BATCH).fetchLazy()) {
            List<Record> batch = new ArrayList<>(BATCH);
            for (Record row : cursor) {
                batch.add(row);
                if (batch.size() == BATCH) {
                    Background.await(pending);
                    List<Record> full = batch;
                    pending = evaluator.submit(() -> evaluate(full, columns, rules, context, total, perChannel,
                            options.by(), failures));
                    records += full.size();
                    batch = new ArrayList<>(BATCH);
                }
            }
            Background.await(pending);
            evaluate(batch, columns, rules, context, total, perChannel, options.by(), failures);
            records += batch.size();
        } finally {
            evaluator.shutdownNow();
        }
        return records;
    }


    private long evaluate(List<Record> rows, Columns columns, List<Rule> rules, Rule.Context context, RuleTally total,
                          Map<String, RuleTally> perChannel, By by, AtomicFile failures) {
        boolean source = columns.channel() >= 0;
        List<Verdicts> verdicts = rows.parallelStream().map(row -> {
            QualityRecord record = open(row, columns);
            byte[] states = new byte[rules.size()];
            String[] reasons = new String[rules.size()];
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                if (!rule.applies().test(record)) {
                    continue;
                }
                String reason = rule.check().failure(record, context);
                states[i] = reason == null ? Verdicts.PASSED : rule.waived(record) ? Verdicts.WAIVED : Verdicts.FAILED;
                reasons[i] = reason;
            }
            return new Verdicts(record, states, reasons);
        }).toList();
        for (Verdicts v : verdicts) {
            total.add(v, rules);
            if (source) {
                perChannel.computeIfAbsent(by == By.BRANCH ? v.record().branch() : v.record().channel(),
                        c -> new RuleTally(rules.size())).add(v, rules);
            }
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
        return rows.size();
    }

    /** Where each column a record needs is in a row of either table (looked up once, not per row and field). */
    private record Columns(int[] fields, int idIndex, int usccIndex, int key, int channel, int type, int status,
                           int changed, int provenance, int branch, int collected, int cleansed) {
        static Columns of(Table<?> table, boolean source) {
            CustomerField[] all = CustomerField.values();
            int[] fields = new int[all.length];
            for (int i = 0; i < all.length; i++) {
                fields[i] = table.indexOf(all[i].column());
            }
            return new Columns(fields, table.indexOf("id_number_bidx"), table.indexOf("uscc_bidx"),
                    table.indexOf(source ? "source_key" : "code"), source ? table.indexOf("source_system") : -1,
                    table.indexOf("customer_type"), table.indexOf("status"),
                    table.indexOf(source ? "loaded_at" : "updated_at"), table.indexOf("provenance"),
                    source ? table.indexOf("branch") : -1, source ? table.indexOf("collected_at") : -1,
                    source ? table.indexOf("cleansed") : -1);
        }
    }

    private QualityRecord open(Record row, Columns columns) {
        Map<CustomerField, String> values = new EnumMap<>(CustomerField.class);
        CustomerField[] all = CustomerField.values();
        for (int i = 0; i < all.length; i++) {
            Object stored = row.get(columns.fields()[i]);
            if (stored != null) {
                values.put(all[i], (String) stored);
            }
        }
        Map<CustomerField, String> indexes = new EnumMap<>(CustomerField.class);
        indexes.put(CustomerField.ID_NUMBER, (String) row.get(columns.idIndex()));
        indexes.put(CustomerField.USCC, (String) row.get(columns.usccIndex()));
        // each value is bound to the source record it was collected in: a golden one to its supplier's
        Function<CustomerField, String> boundTo = columns.channel() >= 0
                ? field -> FieldProtector.row((String) row.get(columns.channel()), (String) row.get(columns.key()))
                : FieldProtector.goldenRows((String) row.get(columns.provenance()), (String) row.get(columns.key()));
        String branch = columns.branch() < 0 ? null : (String) row.get(columns.branch());
        // timeliness counts from when the channel collected the record, where it says so, else from its loading
        OffsetDateTime collected = columns.collected() < 0 ? null : (OffsetDateTime) row.get(columns.collected());
        QualityRecord record = new QualityRecord((String) row.get(columns.key()),
                columns.channel() < 0 ? null : (String) row.get(columns.channel()),
                branch == null ? NO_BRANCH : branch,
                CustomerType.of((String) row.get(columns.type())).organisation(), (String) row.get(columns.status()), values, indexes,
                collected != null ? collected : (OffsetDateTime) row.get(columns.changed()),
                (field, stored) -> {
                    try {
                        return protector.open(field, boundTo.apply(field), stored);
                    } catch (FieldProtector.Unreadable e) {
                        // one altered value must not stop the check: it is checked as an empty value (present, so
                        // not missing, but invalid wherever a format is checked), and the run says how many
                        unreadable.incrementAndGet();
                        return "";
                    }
                });
        return record.cleansed(columns.cleansed() >= 0 && row.get(columns.cleansed()) != null);
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
