package cim.core.codes;

import cim.core.db.schema.tables.records.CustomerEventRecord;
import cim.core.db.BulkInsert;
import cim.core.json.Json;
import cim.core.protect.FieldProtector;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.Field;
import org.jooq.Record;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Sequences.ORG_CODE_SEQ;
import static cim.core.db.schema.Sequences.PERSON_CODE_SEQ;
import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The writes that every way of changing a customer shares (the matcher and the steward commands): new codes,
 * links, golden records, and a merge that redirects the absorbed code and keeps every link as history. Each runs
 * inside the caller's transaction.
 */
final class Customers {
    /** Values in one IN list: well under PostgreSQL's 32,767 bind parameters. */
    static final int SLICE = 2_000;

    private final DSLContext tx;
    private final FieldProtector protector;
    private final ChannelTrust trust;
    private final String actor;
    private final Corrections corrections;

    Customers(DSLContext tx, FieldProtector protector, ChannelTrust trust, String actor) {
        this.tx = tx;
        this.protector = protector;
        this.trust = trust;
        this.actor = actor;
        this.corrections = new Corrections(tx, protector);
    }

    Corrections corrections() {
        return corrections;
    }

    DSLContext tx() {
        return tx;
    }

    String actor() {
        return actor;
    }

    /** New codes of one type, from its sequence (never reused). */
    List<String> allocate(boolean organisation, int count) {
        List<String> codes = new ArrayList<>(count);
        if (count == 0) {
            return codes;
        }
        for (Long sequence : tx.nextvals(organisation ? ORG_CODE_SEQ : PERSON_CODE_SEQ, count)) {
            codes.add(CustomerCode.of(organisation, sequence).value());
        }
        return codes;
    }

    /**
     * The current source records linked to each of {@code codes}, opened, with every column (a golden record is
     * built from them).
     */
    Map<String, List<MatchRecord>> linkedRecords(Collection<String> codes) {
        Map<String, List<MatchRecord>> byCode = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(codes);
        for (int from = 0; from < all.size(); from += SLICE) {
            List<String> slice = all.subList(from, Math.min(all.size(), from + SLICE));
            List<Record> rows = tx.select(SOURCE_RECORD.fields()).select(CUSTOMER_LINK.CUSTOMER_CODE)
                    .from(CUSTOMER_LINK).join(SOURCE_RECORD)
                    .on(SOURCE_RECORD.SOURCE_SYSTEM.eq(CUSTOMER_LINK.SOURCE_SYSTEM)
                            .and(SOURCE_RECORD.SOURCE_KEY.eq(CUSTOMER_LINK.SOURCE_KEY))
                            .and(SOURCE_RECORD.IS_CURRENT.isTrue()))
                    .where(CUSTOMER_LINK.CUSTOMER_CODE.in(slice).and(CUSTOMER_LINK.VALID_TO.isNull()))
                    .orderBy(SOURCE_RECORD.ID).fetch();
            // opening (decrypting) the records is the CPU work: on every core, the order kept
            List<MatchRecord> opened = rows.parallelStream()
                    .map(row -> MatchRecord.of(row.into(SOURCE_RECORD), protector)).toList();
            for (int i = 0; i < rows.size(); i++) {
                byCode.computeIfAbsent(rows.get(i).get(CUSTOMER_LINK.CUSTOMER_CODE), c -> new ArrayList<>())
                        .add(opened.get(i));
            }
        }
        return byCode;
    }

    /**
     * The codes of the customers sharing each of {@code keys}, from match_key; keys found crowded (in crowded_key)
     * are added to {@code crowded} and not looked up: their many match_key rows are not fetched again.
     */
    Map<Long, Set<String>> sharing(List<Long> keys, Set<Long> crowded) {
        Map<Long, Set<String>> codesByKey = new HashMap<>();
        // IN lists: a generic plan of a lookup by = ANY(array) tests every row against the whole array
        for (int from = 0; from < keys.size(); from += SLICE) {
            List<Long> slice = keys.subList(from, Math.min(keys.size(), from + SLICE));
            crowded.addAll(tx.select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY)
                    .where(CROWDED_KEY.MATCH_KEY.in(slice)).fetch(CROWDED_KEY.MATCH_KEY));
        }
        List<Long> open = keys.stream().filter(k -> !crowded.contains(k)).toList();
        for (int from = 0; from < open.size(); from += SLICE) {
            List<Long> slice = open.subList(from, Math.min(open.size(), from + SLICE));
            tx.select(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE).from(MATCH_KEY)
                    .where(MATCH_KEY.MATCH_KEY_.in(slice)).forEach(row -> codesByKey
                            .computeIfAbsent(row.value1(), k -> new LinkedHashSet<>()).add(row.value2()));
        }
        return codesByKey;
    }

    /** The columns of a new customer row: the golden record's, then code and creation time. */
    static final List<Field<?>> CUSTOMER_INSERT = concat(GoldenRecord.COLUMNS, CUSTOMER.CODE, CUSTOMER.CREATED_AT);
    static final List<Field<?>> LINK_INSERT = List.of(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY,
            CUSTOMER_LINK.CUSTOMER_CODE, CUSTOMER_LINK.RULE, CUSTOMER_LINK.SCORE, CUSTOMER_LINK.EXPLANATION,
            CUSTOMER_LINK.PINNED, CUSTOMER_LINK.LINKED_BY, CUSTOMER_LINK.VALID_FROM, CUSTOMER_LINK.RECORD_ID);

    private static List<Field<?>> concat(List<Field<?>> first, Field<?>... more) {
        List<Field<?>> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    /** A new customer row (in {@link #CUSTOMER_INSERT} order) with its golden record. */
    Object[] newCustomer(String code, List<MatchRecord> records) {
        // a new code has no corrections
        Object[] row = GoldenRecord.build(stored(records), trust, 2, new GoldenLists(protector, code), Map.of());
        row[row.length - 2] = code;
        row[row.length - 1] = row[row.length - 3];
        return row;
    }

    /** A golden-record update of an existing customer: {@link GoldenRecord#COLUMNS}, then the code. */
    Object[] rebuilt(String code, List<MatchRecord> records) {
        return rebuilt(code, records, List.of());
    }

    /** As {@link #rebuilt(String, List)}, for a customer absorbing others: their corrections come with them. */
    Object[] rebuilt(String code, List<MatchRecord> records, List<String> absorbed) {
        Object[] row = GoldenRecord.build(stored(records), trust, 1, new GoldenLists(protector, code),
                corrections.combined(code, absorbed));
        row[row.length - 1] = code;
        return row;
    }

    void insertCustomers(List<Object[]> rows) {
        BulkInsert.insert(tx, CUSTOMER, CUSTOMER_INSERT, rows);
    }

    void updateCustomers(List<Object[]> rows) {
        BulkInsert.update(tx, CUSTOMER, GoldenRecord.COLUMNS, CUSTOMER.CODE, rows);
    }

    void insertLinks(List<Object[]> rows) {
        BulkInsert.insert(tx, CUSTOMER_LINK, LINK_INSERT, rows);
    }

    /** Blocking keys: hash, code, record id. */
    void insertKeys(List<Object[]> rows) {
        BulkInsert.insert(tx, MATCH_KEY, List.of(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE, MATCH_KEY.RECORD_ID),
                rows);
    }

    /** Open review items: source system and key, the record's code, the candidate's, score, explanation, time. */
    void insertReviewItems(List<Object[]> rows) {
        BulkInsert.insert(tx, REVIEW_ITEM, List.of(REVIEW_ITEM.SOURCE_SYSTEM, REVIEW_ITEM.SOURCE_KEY,
                REVIEW_ITEM.RECORD_CODE, REVIEW_ITEM.CANDIDATE_CODE, REVIEW_ITEM.SCORE, REVIEW_ITEM.EXPLANATION,
                REVIEW_ITEM.CREATED_AT), rows);
    }

    /** Rebuilds the golden record of one code from its linked records now. */
    void rebuild(String code) {
        List<MatchRecord> records = linkedRecords(List.of(code)).getOrDefault(code, List.of());
        if (!records.isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            rows.add(rebuilt(code, records));
            updateCustomers(rows);
        }
    }

    /** A link of a record to a code (in {@link #LINK_INSERT} order), with the rule, score and explanation. */
    Object[] link(MatchRecord record, String code, String rule, Double score, Map<String, Object> why,
                  boolean pinned) {
        return link(record, code, rule, score, why == null || why.isEmpty() ? null : Json.write(why), pinned, actor);
    }

    /** As {@link #link(MatchRecord, String, String, Double, Map, boolean)}, the explanation in JSON, by {@code actor}. */
    static Object[] link(MatchRecord record, String code, String rule, Double score, String why, boolean pinned,
                         String actor) {
        return new Object[] {record.stored().sourceSystem(), record.stored().sourceKey(), code, rule,
            score == null ? null : BigDecimal.valueOf(Math.max(-99.0, Math.min(99.0, score))), why, pinned, actor,
            OffsetDateTime.now(), record.id()};
    }

    /** Ends the open links of a record (when it moves to another code), saying why. */
    void closeLinks(String sourceSystem, String sourceKey, String endedBy) {
        tx.update(CUSTOMER_LINK).set(CUSTOMER_LINK.VALID_TO, OffsetDateTime.now())
                .set(CUSTOMER_LINK.ENDED_BY, endedBy)
                .where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(sourceSystem).and(CUSTOMER_LINK.SOURCE_KEY.eq(sourceKey))
                        .and(CUSTOMER_LINK.VALID_TO.isNull()))
                .execute();
    }

    /**
     * Merges {@code absorbed} into {@code survivor}: the absorbed code redirects to the survivor (as do codes that
     * redirected to it), each of its records gets a new link to the survivor and its old link is kept as history,
     * its blocking keys follow, and both customers' histories say so. The caller rebuilds the survivor's golden
     * record.
     */
    void absorb(String survivor, String absorbed, List<MatchRecord> records, String rule, String reason,
                Map<String, Object> why) {
        OffsetDateTime now = OffsetDateTime.now();
        tx.update(CUSTOMER).set(CUSTOMER.MERGED_INTO, survivor).set(CUSTOMER.UPDATED_AT, now)
                .where(CUSTOMER.CODE.eq(absorbed).or(CUSTOMER.MERGED_INTO.eq(absorbed))).execute();
        restrictLike(survivor, absorbed);
        tx.update(CUSTOMER_LINK).set(CUSTOMER_LINK.VALID_TO, now).set(CUSTOMER_LINK.ENDED_BY, "merge")
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(absorbed).and(CUSTOMER_LINK.VALID_TO.isNull())).execute();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("merged_from", absorbed);
        if (why != null) {
            detail.putAll(why);
        }
        List<Object[]> links = new ArrayList<>();
        for (MatchRecord record : records) {
            links.add(link(record, survivor, rule, null, detail, false));
        }
        insertLinks(links);
        // the absorbed customer's keys are those of its records (found by record: no index by customer is kept)
        List<Long> ids = records.stream().map(MatchRecord::id).toList();
        for (int from = 0; from < ids.size(); from += SLICE) {
            tx.update(MATCH_KEY).set(MATCH_KEY.CUSTOMER_CODE, survivor).where(MATCH_KEY.RECORD_ID.in(
                    ids.subList(from, Math.min(ids.size(), from + SLICE))).and(MATCH_KEY.CUSTOMER_CODE.eq(absorbed)))
                    .execute();
        }
        corrections.absorb(survivor, absorbed);
        event(survivor, "merged", absorbed, reason, why);
        event(absorbed, "merged_into", survivor, reason, why);
    }

    /**
     * A customer restricted to the retention purpose stays so in whatever its data joins or leaves: {@code code} is
     * restricted (from the earlier date) when {@code other} is.
     */
    void restrictLike(String code, String other) {
        var restricted = CUSTOMER.as("restricted");
        tx.update(CUSTOMER).set(CUSTOMER.RESTRICTED_AT, DSL.field(DSL.select(DSL.min(restricted.RESTRICTED_AT))
                        .from(restricted).where(restricted.CODE.in(code, other))))
                .where(CUSTOMER.CODE.eq(code)).andExists(DSL.selectOne().from(restricted)
                        .where(restricted.CODE.eq(other).and(restricted.RESTRICTED_AT.isNotNull()))).execute();
    }

    /** One entry of a customer's history. */
    void event(String code, String action, String other, String reason, Map<String, Object> detail) {
        CustomerEventRecord event = tx.newRecord(CUSTOMER_EVENT);
        event.setCustomerCode(code);
        event.setAction(action);
        event.setOtherCode(other);
        event.setReason(reason);
        event.setActor(actor);
        event.setDetail(detail == null || detail.isEmpty() ? null : Json.write(detail));
        event.setOccurredAt(OffsetDateTime.now());
        event.insert();
    }

    private static List<StoredRecord> stored(List<MatchRecord> records) {
        return records.stream().map(MatchRecord::stored).toList();
    }
}
