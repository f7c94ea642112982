package cim.core.quality;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.Scope;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.io.Serializable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * What one {@code quality check} reads and how it judges a record, apart from where it runs: the scope, the rules
 * (rebuilt from the rules file's text where it is shipped), the filters and what the rules read besides the record.
 * It travels to the workers of another engine ({@code --engine spark}), which check the records of an id range each
 * ({@link #check}) and return their {@link Tallies}; added up in any order, they are the single-machine run's.
 */
public final class QualityScan implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 4_000;

    private final Scope scope;
    private final String rulesText;
    private final String rulesName;
    private final LinkedHashMap<String, String> where;
    private final OffsetDateTime since;
    private final QualityCheck.By by;
    private final Rule.Context context;
    private transient List<Rule> rules;

    QualityScan(QualityCheck.Options options, Rule.Context context) {
        this.scope = options.scope();
        this.rulesText = options.rules().text();
        this.rulesName = options.rules().name();
        this.where = new LinkedHashMap<>(options.where());
        this.since = options.since();
        this.by = options.by();
        this.context = context;
        this.rules = inScope(options.rules().rules(), scope);
    }

    /** The rules of the scope: those of the rules file, or the built-in ones. */
    List<Rule> rules() {
        if (rules == null) {
            RulesFile.Loaded loaded = rulesText == null ? RulesFile.defaults()
                    : RulesFile.parse(rulesText, rulesName);
            rules = inScope(loaded.rules(), scope);
        }
        return rules;
    }

    static List<Rule> inScope(List<Rule> rules, Scope scope) {
        return rules.stream().filter(r -> scope == Scope.CUSTOMER ? !Catalogue.sourceScopeOnly(r)
                : !Catalogue.customerScopeOnly(r)).toList();
    }

    Scope scope() {
        return scope;
    }

    private boolean source() {
        return scope == Scope.SOURCE;
    }

    Table<?> table() {
        return source() ? SOURCE_RECORD : CUSTOMER;
    }

    /** The column the records are partitioned on: a source record's id, a customer's row id. */
    private Field<Long> id() {
        return source() ? SOURCE_RECORD.ID : CUSTOMER.ROW_ID;
    }

    /** Which rows are checked: current records (or live customers), as the filters narrow them. */
    Condition condition() {
        Table<?> table = table();
        Condition condition = source() ? SOURCE_RECORD.IS_CURRENT.isTrue() : CUSTOMER.MERGED_INTO.isNull();
        for (Map.Entry<String, String> filter : where.entrySet()) {
            Field<?> column = table.field(filter.getKey());
            if (column == null) {
                throw new CimException(Failure.USAGE, "--where " + filter.getKey() + " does not apply to the "
                        + scope.name().toLowerCase(Locale.ROOT) + " scope",
                        "golden records have customer_type and status; source records also source_system and batch_id");
            }
            condition = condition.and(DSL.field(column.getQualifiedName(), String.class).cast(String.class)
                    .eq(filter.getValue()));
        }
        if (since != null) {
            condition = condition.and((source() ? SOURCE_RECORD.LOADED_AT : CUSTOMER.UPDATED_AT).ge(since));
        }
        return condition;
    }

    /** The smallest and largest id of the rows to check ({@code {0, -1}} when there are none), for partitions. */
    public long[] ids(DSLContext dsl) {
        var range = dsl.select(DSL.min(id()), DSL.max(id())).from(table()).where(condition()).fetchOne();
        return range == null || range.value1() == null ? new long[] {0, -1}
                : new long[] {range.value1(), range.value2()};
    }

    /** Checks the rows whose ids lie between {@code from} and {@code to}, in one transaction. */
    public Tallies check(DSLContext dsl, FieldProtector protector, long from, long to) {
        List<Rule> rules = rules();
        Tallies tallies = new Tallies(rules.size());
        Columns columns = Columns.of(table(), source());
        AtomicLong unreadable = new AtomicLong();
        dsl.transaction(tx -> {
            try (Rows rows = rows(tx.dsl(), columns, condition().and(id().between(from, to)))) {
                for (Object[] row = rows.next(); row != null; row = rows.next()) {
                    tallies.add(verdicts(row, columns, rules, protector, unreadable), rules, by);
                }
            }
        });
        tallies.unreadable += unreadable.get();
        return tallies;
    }

    /** The rows the condition selects, each as its values in the order of {@code columns.select()}. */
    Rows rows(DSLContext dsl, Columns columns, Condition condition) {
        byte[] kinds = Rows.kinds(columns);
        return new Rows(dsl.select(columns.select()).from(table()).where(condition).fetchSize(BATCH)
                .fetchResultSet(), kinds);
    }

    /**
     * Rows read straight from the JDBC result set, without jOOQ's records: making a record of each row (value
     * conversion, a record object, its change flags) was a third of the reading's time. One statement, read ahead in
     * batches of {@link #BATCH} rows.
     */
    static final class Rows implements AutoCloseable {
        private static final byte TEXT = 0;
        private static final byte TIME = 1;
        private static final byte FLAG = 2;
        private final ResultSet results;
        private final byte[] kinds;

        private Rows(ResultSet results, byte[] kinds) {
            this.results = results;
            this.kinds = kinds;
        }

        /** How each column is read. */
        private static byte[] kinds(Columns columns) {
            byte[] kinds = new byte[columns.select().size()];
            for (int i = 0; i < kinds.length; i++) {
                Class<?> type = columns.select().get(i).getType();
                kinds[i] = type == OffsetDateTime.class ? TIME : type == Boolean.class ? FLAG : TEXT;
                if (kinds[i] == TEXT && type != String.class) {
                    throw new IllegalStateException("a quality check reads no column of type " + type.getName());
                }
            }
            return kinds;
        }

        /** The next row, or null after the last. */
        Object[] next() {
            try {
                if (!results.next()) {
                    return null;
                }
                Object[] row = new Object[kinds.length];
                for (int i = 0; i < kinds.length; i++) {
                    row[i] = switch (kinds[i]) {
                        case TIME -> inThisZone(results.getObject(i + 1, OffsetDateTime.class));
                        case FLAG -> results.getBoolean(i + 1);
                        default -> results.getString(i + 1);
                    };
                }
                return row;
            } catch (SQLException e) {
                throw new DataAccessException("reading the records to check: " + e.getMessage(), e);
            }
        }

        /**
         * A time at this machine's offset, as jOOQ gave it (PostgreSQL's driver gives it in UTC): timeliness rules
         * take its date here, which is this machine's date of it.
         */
        private static OffsetDateTime inThisZone(OffsetDateTime time) {
            return time == null ? null : time.atZoneSameInstant(ZoneId.systemDefault()).toOffsetDateTime();
        }

        @Override
        public void close() {
            try {
                results.close();
            } catch (SQLException e) {
                throw new DataAccessException("closing the records checked: " + e.getMessage(), e);
            }
        }
    }

    /** One row's verdicts on every rule. */
    Verdicts verdicts(Object[] row, Columns columns, List<Rule> rules, FieldProtector protector,
                      AtomicLong unreadable) {
        QualityRecord record = open(row, columns, protector, unreadable);
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
    }

    /**
     * What checking some records found: the tallies over all of them and per channel (or branch) in source scope,
     * how many records were read, and how many stored values did not open.
     */
    public static final class Tallies implements Serializable {
        private static final long serialVersionUID = 1L;
        final RuleTally total;
        final TreeMap<String, RuleTally> groups = new TreeMap<>();
        long records;
        long unreadable;

        Tallies(int rules) {
            total = new RuleTally(rules);
        }

        void add(Verdicts v, List<Rule> rules, QualityCheck.By by) {
            records++;
            total.add(v, rules);
            if (v.record().channel() != null) {
                groups.computeIfAbsent(by == QualityCheck.By.BRANCH ? v.record().branch() : v.record().channel(),
                        c -> new RuleTally(rules.size())).add(v, rules);
            }
        }

        /** These tallies with another's added (the other is left as it was). */
        public Tallies plus(Tallies other) {
            total.plus(other.total);
            other.groups.forEach((group, tally) -> groups.merge(group, copy(tally), RuleTally::plus));
            records += other.records;
            unreadable += other.unreadable;
            return this;
        }

        private static RuleTally copy(RuleTally tally) {
            return new RuleTally(tally.checked.length).plus(tally);
        }
    }

    /**
     * The columns a record needs, the only ones a check reads (not the blind indexes of contacts, versions, batches:
     * a third of a source row's bytes), and where each is in a row read with {@link #select}; looked up once, not
     * per row and field. Of {@code cleansed} only whether it is set is read.
     */
    record Columns(List<Field<?>> select, int[] fields, int idIndex, int usccIndex, int key, int channel, int type,
                   int status, int changed, int provenance, int branch, int collected, int cleansed) {
        static Columns of(Table<?> table, boolean source) {
            List<Field<?>> select = new ArrayList<>();
            java.util.function.ToIntFunction<String> read = name -> {
                Field<?> field = table.field(name);
                if (field == null) {
                    return -1;
                }
                select.add(field);
                return select.size() - 1;
            };
            CustomerField[] all = CustomerField.values();
            int[] fields = new int[all.length];
            for (int i = 0; i < all.length; i++) {
                fields[i] = read.applyAsInt(all[i].column());
            }
            int cleansed = -1;
            if (source) {
                select.add(DSL.field(table.field("cleansed").isNotNull()).as("cleansed"));
                cleansed = select.size() - 1;
            }
            return new Columns(select, fields, read.applyAsInt("id_number_bidx"), read.applyAsInt("uscc_bidx"),
                    read.applyAsInt(source ? "source_key" : "code"), source ? read.applyAsInt("source_system") : -1,
                    read.applyAsInt("customer_type"), read.applyAsInt("status"),
                    read.applyAsInt(source ? "loaded_at" : "updated_at"), source ? -1 : read.applyAsInt("provenance"),
                    source ? read.applyAsInt("branch") : -1, source ? read.applyAsInt("collected_at") : -1, cleansed);
        }
    }

    private static QualityRecord open(Object[] row, Columns columns, FieldProtector protector, AtomicLong unreadable) {
        Map<CustomerField, String> values = new EnumMap<>(CustomerField.class);
        CustomerField[] all = CustomerField.values();
        for (int i = 0; i < all.length; i++) {
            Object stored = row[columns.fields()[i]];
            if (stored != null) {
                values.put(all[i], (String) stored);
            }
        }
        Map<CustomerField, String> indexes = new EnumMap<>(CustomerField.class);
        indexes.put(CustomerField.ID_NUMBER, (String) row[columns.idIndex()]);
        indexes.put(CustomerField.USCC, (String) row[columns.usccIndex()]);
        // each value is bound to the source record it was collected in: a golden one to its supplier's
        Function<CustomerField, String> boundTo = columns.channel() >= 0
                ? field -> FieldProtector.row((String) row[columns.channel()], (String) row[columns.key()])
                : FieldProtector.goldenRows((String) row[columns.provenance()], (String) row[columns.key()]);
        String branch = columns.branch() < 0 ? null : (String) row[columns.branch()];
        // timeliness counts from when the channel collected the record, where it says so, else from its loading
        OffsetDateTime collected = columns.collected() < 0 ? null : (OffsetDateTime) row[columns.collected()];
        QualityRecord record = new QualityRecord((String) row[columns.key()],
                columns.channel() < 0 ? null : (String) row[columns.channel()],
                branch == null ? QualityCheck.NO_BRANCH : branch,
                CustomerType.of((String) row[columns.type()]).organisation(), (String) row[columns.status()],
                values, indexes, collected != null ? collected : (OffsetDateTime) row[columns.changed()],
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
        return record.cleansed(columns.cleansed() >= 0 && Boolean.TRUE.equals(row[columns.cleansed()]));
    }
}
