package cim.core.codes;

import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.Quarantined;
import cim.core.protect.SearchKey;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row2;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_CORRECTION;
import static cim.core.db.schema.Tables.CUSTOMER_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.RECORD_RELATION;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The rows that hold one customer's personal data, as an erase finds them: its code and the codes merged into it;
 * its records (those linked to it now, and those of its type no code holds yet that carry one of its valid ID numbers
 * or credit codes: a record waiting for admission), every version of each; and the quarantined rows that carry one of its records'
 * keys or, as a whole value, one of its identifiers. On PostgreSQL the owner's {@code cim_erase_rows} finds the same
 * rows again and deletes them (a steward may not delete rows itself); on the embedded database {@link #delete} does.
 */
final class CustomerRows {
    /** The identifiers an erase looks for in quarantined rows (a QQ number is too often a postal code as well). */
    private static final List<CustomerField> SOUGHT = List.of(CustomerField.ID_NUMBER, CustomerField.USCC,
            CustomerField.ORG_CODE, CustomerField.BUSINESS_LICENCE, CustomerField.MOBILE, CustomerField.PHONE,
            CustomerField.EMAIL, CustomerField.WECHAT);
    /**
     * The identifiers by which relations naming the customer are removed: those that are its alone (a relation to a
     * shared landline or e-mail is another customer's statement about someone else too).
     */
    private static final List<CustomerField> NAMED_BY = List.of(CustomerField.ID_NUMBER, CustomerField.USCC,
            CustomerField.ORG_CODE, CustomerField.BUSINESS_LICENCE);
    /** Identifiers that name one customer only: an unlinked record carrying one is the customer's. */
    private static final List<CustomerField> STRONG = List.of(CustomerField.ID_NUMBER, CustomerField.USCC);

    final List<String> codes;
    final List<Row2<String, String>> records;
    final List<SourceRecordRecord> versions;
    final Set<String> blindIndexes;

    private CustomerRows(List<String> codes, List<Row2<String, String>> records, List<SourceRecordRecord> versions,
                         Set<String> blindIndexes) {
        this.codes = codes;
        this.records = records;
        this.versions = versions;
        this.blindIndexes = blindIndexes;
    }

    /** The rows of the customer {@code code} (not merged away), read in the caller's transaction. */
    static CustomerRows of(DSLContext tx, String code) {
        List<String> codes = new ArrayList<>(List.of(code));
        codes.addAll(tx.select(CUSTOMER.CODE).from(CUSTOMER).where(CUSTOMER.MERGED_INTO.eq(code)).fetch(CUSTOMER.CODE));
        List<Row2<String, String>> records = new ArrayList<>(tx.select(CUSTOMER_LINK.SOURCE_SYSTEM,
                        CUSTOMER_LINK.SOURCE_KEY).from(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code).and(CUSTOMER_LINK.VALID_TO.isNull()))
                .fetch(r -> DSL.row(r.value1(), r.value2())));
        List<SourceRecordRecord> linked = versions(tx, records);
        List<org.jooq.Record> corrections = new ArrayList<>(tx.selectFrom(CUSTOMER_CORRECTION)
                .where(CUSTOMER_CORRECTION.CODE.in(codes)).fetch());
        // its identifiers that name it alone: the valid ID numbers and credit codes of its current records
        Set<String> strong = indexes(linked.stream().filter(r -> Boolean.TRUE.equals(r.getIsCurrent())).toList(),
                List.of(), STRONG, true);
        String type = tx.select(CUSTOMER.CUSTOMER_TYPE).from(CUSTOMER).where(CUSTOMER.CODE.eq(code))
                .fetchOne(CUSTOMER.CUSTOMER_TYPE);
        if (!strong.isEmpty()) {
            // records of its type no code holds yet (waiting for admission, or not assigned) that carry one
            records.addAll(tx.selectDistinct(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD)
                    .where(SOURCE_RECORD.ID_NUMBER_BIDX.in(strong).or(SOURCE_RECORD.USCC_BIDX.in(strong)))
                    .and(SOURCE_RECORD.CUSTOMER_TYPE.isNotDistinctFrom(type))
                    .andNotExists(DSL.selectOne().from(CUSTOMER_LINK).where(CUSTOMER_LINK.SOURCE_SYSTEM
                            .eq(SOURCE_RECORD.SOURCE_SYSTEM).and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY))
                            .and(CUSTOMER_LINK.VALID_TO.isNull())))
                    .fetch(r -> DSL.row(r.value1(), r.value2())));
        }
        List<SourceRecordRecord> versions = versions(tx, records);
        return new CustomerRows(List.copyOf(codes), List.copyOf(records), versions,
                indexes(versions, corrections, NAMED_BY, false));
    }

    private static List<SourceRecordRecord> versions(DSLContext tx, List<Row2<String, String>> records) {
        return records.isEmpty() ? List.of() : tx.selectFrom(SOURCE_RECORD)
                .where(ofRecords(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY, records))
                .orderBy(SOURCE_RECORD.ID).fetch();
    }

    /** The blind indexes of these fields in the rows; {@code validOnly}: not of a value the importer flagged. */
    private static Set<String> indexes(List<? extends org.jooq.Record> versions, List<org.jooq.Record> corrections,
                                       List<CustomerField> fields, boolean validOnly) {
        Set<String> indexes = new LinkedHashSet<>();
        List<org.jooq.Record> rows = new ArrayList<>(versions);
        rows.addAll(corrections);
        for (org.jooq.Record row : rows) {
            for (CustomerField field : fields) {
                if (validOnly && row instanceof SourceRecordRecord r && MatchRecord.flagged(r.getIssues() == null
                        ? "" : r.getIssues(), field)) {
                    continue;
                }
                String index = row.get(field.blindIndexColumn().orElseThrow(), String.class);
                if (index != null) {
                    indexes.add(index);
                }
            }
        }
        return indexes;
    }

    /**
     * The quarantined rows, of any channel, that carry one of the records' keys (the copy for people names it, in a
     * batch of the record's channel) or one of the customer's identifiers as a whole value of the sealed raw text,
     * normalised as an import normalises it (a 15-digit ID, {@code +86}, full-width digits).
     */
    List<Long> quarantined(DSLContext tx, FieldProtector protector) {
        Map<String, Set<String>> keysBySystem = new HashMap<>();
        Set<String> sought = new LinkedHashSet<>();
        for (SourceRecordRecord version : versions) {
            keysBySystem.computeIfAbsent(version.getSourceSystem(), s -> new LinkedHashSet<>())
                    .add(version.getSourceKey());
            String row = FieldProtector.row(version.getSourceSystem(), version.getSourceKey());
            for (CustomerField field : SOUGHT) {
                try {
                    String clear = protector.open(field, row, version.get(field.column(), String.class));
                    if (clear != null) {
                        sought.add(field.column() + ":" + SearchKey.canonical(field, clear));
                    }
                } catch (FieldProtector.Unreadable e) {
                    // a value that does not open cannot be looked for
                }
            }
        }
        List<Long> found = new ArrayList<>();
        tx.select(QUARANTINE.ID, QUARANTINE.BATCH_ID, QUARANTINE.LINE_NO, QUARANTINE.RAW_ROW, QUARANTINE.RAW_MASKED,
                        IMPORT_BATCH.SOURCE_SYSTEM).from(QUARANTINE).join(IMPORT_BATCH)
                .on(IMPORT_BATCH.ID.eq(QUARANTINE.BATCH_ID)).orderBy(QUARANTINE.ID).forEach(row -> {
                    String masked = "; " + row.value5() + ";";
                    // a row may name its own channel (source_system), whatever the batch's
                    String system = segment(masked, "source_system").orElse(row.value6());
                    boolean byKey = keysBySystem.getOrDefault(system, Set.of()).stream()
                            .anyMatch(key -> masked.contains("; source_key=" + key + ";"));
                    if (byKey || carries(protector, row.value4(), row.value2(), row.value3(), sought)) {
                        found.add(row.value1());
                    }
                });
        return found;
    }

    /** The value of a segment of a quarantined row's copy for people ("; name=value;" form), if it has one. */
    private static java.util.Optional<String> segment(String masked, String name) {
        int at = masked.indexOf("; " + name + "=");
        if (at < 0) {
            return java.util.Optional.empty();
        }
        int from = at + name.length() + 3;
        return java.util.Optional.of(masked.substring(from, masked.indexOf(';', from)).strip());
    }

    /** Whether a quarantined raw text holds one of the sought identifiers as a whole value (CSV cell, JSON value). */
    private static boolean carries(FieldProtector protector, String sealed, long batch, long line, Set<String> sought) {
        if (sought.isEmpty()) {
            return false;
        }
        String raw;
        try {
            raw = protector.open(Quarantined.CONTEXT, Quarantined.row(batch, line), sealed);
        } catch (FieldProtector.Unreadable e) {
            return false;
        }
        for (String value : raw.split("[,\"{}\\[\\]:\\t\\r\\n]+")) {
            if (value.isBlank()) {
                continue;
            }
            for (CustomerField field : SOUGHT) {
                if (sought.contains(field.column() + ":" + SearchKey.canonical(field, value))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deletes the rows (the embedded database: its one user may; PostgreSQL uses cim_erase_rows). */
    void delete(DSLContext tx, List<Long> quarantined) {
        tx.deleteFrom(ADMISSION_PENDING).where(ofRecords(ADMISSION_PENDING.SOURCE_SYSTEM,
                ADMISSION_PENDING.SOURCE_KEY, records)).execute();
        tx.deleteFrom(RECORD_RELATION).where(ofRecords(RECORD_RELATION.SOURCE_SYSTEM, RECORD_RELATION.SOURCE_KEY,
                records).or(ofRecords(RECORD_RELATION.TARGET_SYSTEM, RECORD_RELATION.TARGET_KEY, records))
                .or(RECORD_RELATION.TARGET_BIDX.in(blindIndexes))).execute();
        tx.deleteFrom(REVIEW_ITEM).where(REVIEW_ITEM.CANDIDATE_CODE.in(codes).or(REVIEW_ITEM.RECORD_CODE.in(codes))
                .or(ofRecords(REVIEW_ITEM.SOURCE_SYSTEM, REVIEW_ITEM.SOURCE_KEY, records))).execute();
        // a record's blocking keys follow it through merges: by record
        tx.deleteFrom(MATCH_KEY).where(MATCH_KEY.RECORD_ID.in(versions.stream().map(SourceRecordRecord::getId)
                .toList())).execute();
        tx.deleteFrom(CUSTOMER_LINK).where(ofRecords(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY, records))
                .execute();
        // the history of its codes: links ended long ago, of records now elsewhere (a current one is another's)
        tx.deleteFrom(CUSTOMER_LINK).where(CUSTOMER_LINK.CUSTOMER_CODE.in(codes).and(CUSTOMER_LINK.VALID_TO.isNotNull()))
                .execute();
        tx.deleteFrom(SOURCE_RECORD).where(ofRecords(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY, records))
                .execute();
        tx.deleteFrom(QUARANTINE).where(QUARANTINE.ID.in(quarantined)).execute();
        tx.deleteFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.in(codes)).execute();
        tx.deleteFrom(CUSTOMER_EVENT).where(CUSTOMER_EVENT.CUSTOMER_CODE.in(codes)).execute();
    }

    private static Condition ofRecords(Field<String> system, Field<String> key, List<Row2<String, String>> records) {
        return records.isEmpty() ? DSL.falseCondition() : DSL.row(system, key).in(records);
    }
}
