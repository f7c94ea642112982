package cim.core.export;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.Scope;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.codes.CodeLookup;
import cim.core.codes.CustomerCode;
import cim.core.codes.Links;
import cim.core.db.Profiles;
import cim.core.io.AtomicFile;
import cim.core.io.Csv;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.MaskProfile;
import cim.core.protect.Masker;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * Writes golden or source records to a file: streamed from the database, tier-1 values decrypted only in memory
 * and masked as the profile says, CSV cells made safe for spreadsheets, the file appearing whole or not at all,
 * and the export recorded in the audit trail with its row count, file hash, mask and filter.
 */
public final class Exporter {
    /**
     * What an export wrote. {@code unreadable}: stored values that did not open (altered, or put back from before a
     * rotation), written empty; {@code unreadableAt} names the first of them by row and field.
     */
    public record Result(long rows, String file, String sha256, String mask, long unreadable,
                         List<String> unreadableAt, String purpose, long leftOut) { }

    /** How many unreadable values an export names; the rest are counted. */
    static final int NAMED_UNREADABLE = 10;

    private final DSLContext dsl;
    private final AuditTrail audit;
    private final FieldProtector protector;

    public Exporter(DSLContext dsl, AuditTrail audit, FieldProtector protector) {
        this.dsl = dsl;
        this.audit = audit;
        this.protector = protector;
    }

    /**
     * Writes the export. The purpose leaves out the customers it may not use and withholds refused channels
     * ({@link Purpose}); how many were left out is in the result and the audit event.
     */
    public Result export(ExportOptions options) {
        if (options.purpose() == Purpose.REGULATORY) {
            // the retention purpose is the one use restricted customers are kept for: a steward's or admin's, why
            if (options.reason() == null || options.reason().isBlank()) {
                throw new CimException(Failure.NOT_PERMITTED, "--purpose regulatory needs --reason: it exports the "
                        + "customers restricted to that purpose too", "say why (the regulator's request), e.g. "
                        + "--reason \"CBIRC request 2026-31\"");
            }
            Profiles.requireRevealer(dsl, "--purpose regulatory");
        }
        List<String> customers = current(options.customers());
        Masker masker = new Masker(protector.registry(dsl), options.mask(), options.reason());
        if (options.mask() == MaskProfile.NONE) {
            Profiles.requireRevealer(dsl, "--mask none");
        }
        List<String> keyColumns = options.scope() == Scope.CUSTOMER
                ? List.of("code", "customer_type", "status", "channels", "first_source_system")
                : List.of("source_system", "source_key", "version", "customer_code", "customer_type", "status",
                        "issues");
        // columns added after the fields, so that scripts reading the older ones by position keep working
        List<String> trailing = options.scope() == Scope.CUSTOMER ? List.of()
                : List.of("branch", "collected_at");
        List<String> header = new ArrayList<>(keyColumns);
        for (CustomerField field : CustomerField.values()) {
            header.add(field.column());
        }
        header.addAll(trailing);
        long rows = 0;
        long unreadable = 0;
        long opened = 0;
        long leftOut = 0;
        List<String> unreadableAt = new ArrayList<>();
        // the event commits before the file appears: a kill in between leaves no file, never a file without event
        try (AtomicFile out = AtomicFile.create(options.out());
             Cursor<Record> records = query(options, customers).fetchSize(1000).fetchLazy()) {
            if (options.format() == ExportOptions.Format.CSV) {
                out.write(String.join(",", header) + "\r\n");
            }
            for (Record record : records) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String column : keyColumns) {
                    Object value = record.get(column);
                    row.put(column, value == null ? null : value.toString());
                }
                boolean organisation = CustomerType.of(record.get("customer_type", String.class)).organisation();
                // each value is bound to the source record it was collected in: a golden one to its supplier's
                Function<CustomerField, String> boundTo = options.scope() == Scope.CUSTOMER
                        ? FieldProtector.goldenRows(record.get(CUSTOMER.PROVENANCE), record.get(CUSTOMER.CODE),
                                linked(record.get(LINKED)))
                        : field -> FieldProtector.row(record.get(SOURCE_RECORD.SOURCE_SYSTEM),
                                record.get(SOURCE_RECORD.SOURCE_KEY));
                // the row's own preferences, and for a channel record its customer's too (an opt-out given in
                // another channel, or recorded by a steward, holds for every record)
                List<String> preferences = new ArrayList<>();
                boolean unreadablePreferences = false;
                try {
                    preferences.add(protector.open(CustomerField.PREFERENCES, boundTo.apply(CustomerField.PREFERENCES),
                            record.get(CUSTOMER.PREFERENCES.getName(), String.class)));
                    if (options.scope() == Scope.SOURCE && record.get(CUSTOMER_PREFERENCES) != null) {
                        preferences.add(protector.open(CustomerField.PREFERENCES, FieldProtector.goldenRows(
                                record.get(CUSTOMER_PROVENANCE), record.get("customer_code", String.class))
                                .apply(CustomerField.PREFERENCES), record.get(CUSTOMER_PREFERENCES)));
                    }
                    if (record.get(RECORD_PREFERENCES) != null) {
                        // the golden record keeps one channel's preferences: an opt-out in any of the customer's
                        // current records counts too
                        for (String held : record.get(RECORD_PREFERENCES).split(String.valueOf(BETWEEN_RECORDS))) {
                            int split = held.indexOf(RECORD_AND_VALUE);
                            preferences.add(protector.open(CustomerField.PREFERENCES, held.substring(0, split),
                                    held.substring(split + 1)));
                        }
                    }
                } catch (FieldProtector.Unreadable e) {
                    unreadablePreferences = true;
                }
                boolean restricted = Boolean.TRUE.equals(record.get(RESTRICTED));
                // preferences that do not open cannot show consent: left out of every use but the regulatory one
                if (unreadablePreferences && options.purpose() != Purpose.REGULATORY
                        || preferences.stream().anyMatch(p -> options.purpose().leavesOut(restricted, p))) {
                    leftOut++;
                    continue;
                }
                java.util.Set<CustomerField> withheld = java.util.EnumSet.noneOf(CustomerField.class);
                preferences.forEach(p -> withheld.addAll(options.purpose().withheld(p)));
                for (CustomerField field : CustomerField.values()) {
                    if (withheld.contains(field)) {
                        row.put(field.column(), null);
                        continue;
                    }
                    String stored = record.get(field.column(), String.class);
                    String clear;
                    try {
                        clear = protector.open(field, boundTo.apply(field), stored);
                        if (FieldProtector.isSealed(stored)) {
                            opened++;
                        }
                    } catch (FieldProtector.Unreadable e) {
                        // one bad value must not stop the export: written empty, counted and named by its row
                        unreadable++;
                        if (unreadableAt.size() < NAMED_UNREADABLE) {
                            unreadableAt.add(rowName(options, row) + " " + field.column());
                        }
                        row.put(field.column(), null);
                        continue;
                    }
                    row.put(field.column(), masker.show(field, clear, organisation));
                }
                for (String column : trailing) {
                    Object value = record.get(column);
                    row.put(column, value instanceof java.time.OffsetDateTime t ? t.toInstant().toString()
                            : value == null ? null : value.toString());
                }
                out.write(options.format() == ExportOptions.Format.CSV ? csv(row) : json(row));
                rows++;
            }
            if (unreadable > 0 && opened == 0) {
                // not one value opened: a keyset with the database's key ids but other keys, not damaged values
                throw new CimException(Failure.NOT_PERMITTED, "none of the export's " + unreadable + " encrypted "
                        + "values opened: the keyset is not the database's (its key ids match, its keys do not), "
                        + "or every value was altered; nothing was written", "use the database's keyset, restored "
                        + "from its backup");
            }
            out.finish();
            String sha = out.sha256();
            long written = rows;
            long unopened = unreadable;
            long notForPurpose = leftOut;
            dsl.transaction(tx -> {
                AuditEntry entry = masker.revealEvent("export", options.reason(), options.filter(), written, sha);
                if (entry == null) {
                    entry = AuditEntry.of("export").rows(written).reason(options.reason()).detail(Map.of(
                            "mask", options.mask().id(), "filter", options.filter(), "file_sha256", sha));
                }
                Map<String, Object> detail = new LinkedHashMap<>(entry.detail());
                detail.put("purpose", options.purpose().id());
                detail.put("left_out", notForPurpose);
                if (unopened > 0) {
                    detail.put("unreadable", unopened);
                }
                entry = entry.detail(detail);
                audit.append(tx.dsl(), entry.object("file", options.outName())
                        .subjects(subjects(options, customers)));
            });
            out.publish();
            return new Result(rows, options.outName(), sha, options.mask().id(), unreadable,
                    List.copyOf(unreadableAt), options.purpose().id(), leftOut);
        }
    }

    /**
     * The codes asked for as they stand now: a merged code redirects to its survivor, whose golden record (and
     * records) hold its data; an unknown code is a usage error rather than an empty file. Null: no code filter.
     */
    private List<String> current(List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return null;
        }
        CodeLookup codes = new CodeLookup(dsl);
        return asked.stream().map(code -> codes.current(CustomerCode.parse(code)).value()).distinct().toList();
    }

    /** The customers an export is about, for the audit trail: the codes asked for and those they redirect to. */
    private static List<String> subjects(ExportOptions options, List<String> customers) {
        if (customers == null) {
            return List.of();
        }
        return Stream.concat(options.customers().stream(), customers.stream()).distinct().toList();
    }

    private org.jooq.ResultQuery<Record> query(ExportOptions options, List<String> customers) {
        if (options.scope() == Scope.CUSTOMER) {
            // an erased customer holds no data: never a row
            Condition where = CUSTOMER.MERGED_INTO.isNull().and(CUSTOMER.ERASED_AT.isNull());
            if (options.customerType() != null) {
                where = where.and(CUSTOMER.CUSTOMER_TYPE.eq(options.customerType()));
            }
            if (customers != null) {
                where = where.and(CUSTOMER.CODE.in(customers));
            }
            if (options.branch() != null) {
                // a customer of the branch: one of its current records was collected there
                where = where.and(DSL.exists(DSL.selectOne().from(CUSTOMER_LINK).join(SOURCE_RECORD)
                        .on(SOURCE_RECORD.SOURCE_SYSTEM.eq(CUSTOMER_LINK.SOURCE_SYSTEM)
                                .and(SOURCE_RECORD.SOURCE_KEY.eq(CUSTOMER_LINK.SOURCE_KEY))
                                .and(SOURCE_RECORD.IS_CURRENT.isTrue()))
                        .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(CUSTOMER.CODE).and(CUSTOMER_LINK.VALID_TO.isNull())
                                .and(SOURCE_RECORD.BRANCH.eq(options.branch())))));
            }
            return dsl.select(fields(CUSTOMER, CUSTOMER.CODE, CUSTOMER.CUSTOMER_TYPE, CUSTOMER.STATUS,
                    CUSTOMER.CHANNELS, CUSTOMER.FIRST_SOURCE_SYSTEM, CUSTOMER.PROVENANCE, LINKED,
                    CUSTOMER.RESTRICTED_AT.isNotNull().as(RESTRICTED), RECORD_PREFERENCES_OF_CUSTOMER)).from(CUSTOMER)
                    .where(where).orderBy(CUSTOMER.CODE);
        }
        Field<String> code = DSL.field(DSL.select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                .where(Links.currentOfRecord()).limit(1)).as("customer_code");
        Condition where = SOURCE_RECORD.IS_CURRENT.isTrue();
        if (options.customerType() != null) {
            where = where.and(SOURCE_RECORD.CUSTOMER_TYPE.eq(options.customerType()));
        }
        if (customers != null) {
            where = where.and(DSL.exists(DSL.selectOne().from(CUSTOMER_LINK)
                    .where(Links.currentOfRecord()
                            .and(CUSTOMER_LINK.CUSTOMER_CODE.in(customers)))));
        }
        if (options.branch() != null) {
            where = where.and(SOURCE_RECORD.BRANCH.eq(options.branch()));
        }
        List<Field<?>> selected = fields(SOURCE_RECORD, SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY,
                SOURCE_RECORD.VERSION, SOURCE_RECORD.CUSTOMER_TYPE, SOURCE_RECORD.STATUS, SOURCE_RECORD.ISSUES,
                SOURCE_RECORD.BRANCH, SOURCE_RECORD.COLLECTED_AT);
        selected.add(code);
        Field<String> linkedCode = DSL.field(DSL.select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                .where(Links.currentOfRecord()).limit(1));
        selected.add(DSL.field(DSL.select(CUSTOMER.PREFERENCES).from(CUSTOMER).where(CUSTOMER.CODE.eq(linkedCode)))
                .as(CUSTOMER_PREFERENCES));
        selected.add(DSL.field(DSL.select(CUSTOMER.PROVENANCE).from(CUSTOMER).where(CUSTOMER.CODE.eq(linkedCode)))
                .as(CUSTOMER_PROVENANCE));
        selected.add(recordPreferences(linkedCode));
        selected.add(DSL.field(DSL.exists(DSL.selectOne().from(CUSTOMER_LINK).join(CUSTOMER)
                .on(CUSTOMER.CODE.eq(CUSTOMER_LINK.CUSTOMER_CODE))
                .where(Links.currentOfRecord().and(CUSTOMER.RESTRICTED_AT.isNotNull())))).as(RESTRICTED));
        return dsl.select(selected).from(SOURCE_RECORD).where(where).orderBy(SOURCE_RECORD.ID);
    }

    /** Whether the row's customer is restricted (kept for the retention purpose only). */
    private static final String RESTRICTED = "restricted";
    /** Between a record's name and its preferences, and between records, in {@link #RECORD_PREFERENCES}. */
    private static final char RECORD_AND_VALUE = '\u0001';
    private static final char BETWEEN_RECORDS = '\u0002';
    /** A customer's current records' preferences, each after the record it opens against. */
    private static final Field<String> RECORD_PREFERENCES = DSL.field(DSL.name("record_preferences"), String.class);
    private static final Field<String> RECORD_PREFERENCES_OF_CUSTOMER = recordPreferences(CUSTOMER.CODE);

    /** The preferences of the current records of the customer {@code code} names (its own tables aliased). */
    private static Field<String> recordPreferences(Field<String> code) {
        var held = SOURCE_RECORD.as("held");
        var link = CUSTOMER_LINK.as("held_link");
        return DSL.field(DSL.select(DSL.listAgg(held.SOURCE_SYSTEM.concat(DSL.inline("/")).concat(held.SOURCE_KEY)
                                .concat(DSL.inline(String.valueOf(RECORD_AND_VALUE))).concat(held.PREFERENCES),
                        String.valueOf(BETWEEN_RECORDS)).withinGroupOrderBy(held.ID))
                .from(link).join(held).on(held.SOURCE_SYSTEM.eq(link.SOURCE_SYSTEM)
                        .and(held.SOURCE_KEY.eq(link.SOURCE_KEY)).and(held.IS_CURRENT.isTrue()))
                .where(link.CUSTOMER_CODE.eq(code).and(link.VALID_TO.isNull()).and(held.PREFERENCES.isNotNull())))
                .as(RECORD_PREFERENCES.getName());
    }

    /** A channel record's customer's golden preferences, and the provenance they open against. */
    private static final Field<String> CUSTOMER_PREFERENCES = DSL.field(DSL.name("customer_preferences"),
            String.class);
    private static final Field<String> CUSTOMER_PROVENANCE = DSL.field(DSL.name("customer_provenance"), String.class);

    /** A golden record's current records, channel/key a line: its values open only against one of them. */
    private static final Field<String> LINKED = DSL.field(DSL.select(DSL.listAgg(
                    CUSTOMER_LINK.SOURCE_SYSTEM.concat(DSL.inline("/")).concat(CUSTOMER_LINK.SOURCE_KEY), "\n")
                    .withinGroupOrderBy(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY))
            .from(CUSTOMER_LINK).where(CUSTOMER_LINK.CUSTOMER_CODE.eq(CUSTOMER.CODE)
                    .and(CUSTOMER_LINK.VALID_TO.isNull()))).as("linked_records");

    private static java.util.Set<String> linked(String lines) {
        return lines == null ? java.util.Set.of() : new java.util.HashSet<>(List.of(lines.split("\n", -1)));
    }

    private static List<Field<?>> fields(Table<?> table, Field<?>... keys) {
        List<Field<?>> fields = new ArrayList<>(List.of(keys));
        for (CustomerField field : CustomerField.values()) {
            fields.add(table.field(field.column()));
        }
        return fields;
    }

    private static String csv(Map<String, Object> row) {
        StringBuilder line = new StringBuilder();
        for (Object value : row.values()) {
            if (line.length() > 0) {
                line.append(',');
            }
            line.append(Csv.cell(value == null ? null : value.toString()));
        }
        return line.append("\r\n").toString();
    }

    /** JSON Lines keep nested categories as JSON where they are shown in clear, as text where masked. */
    private static String json(Map<String, Object> row) {
        Map<String, Object> object = new LinkedHashMap<>();
        row.forEach((key, value) -> {
            if (value instanceof String text && (text.startsWith("[") || text.startsWith("{"))) {
                try {
                    object.put(key, Json.MAPPER.readTree(text));
                    return;
                } catch (RuntimeException notJson) {
                    // keep it as text
                }
            }
            object.put(key, value);
        });
        return Json.MAPPER.writeValueAsString(object) + "\n";
    }

    /** A row as an unreadable value's report names it: the customer's code, or the channel and key. */
    private static String rowName(ExportOptions options, Map<String, Object> row) {
        return options.scope() == Scope.CUSTOMER ? "customer " + row.get("code")
                : "record " + row.get("source_system") + "/" + row.get("source_key");
    }
}
