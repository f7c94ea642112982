package cim.core.codes;

import cim.core.db.BulkInsert;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.validate.Normalizer;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row2;
import org.jooq.impl.DSL;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.RECORD_RELATION;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * Relationships between customers (Art. 7.3), as a channel record states them in {@code relations}: each item a
 * {@code type} and the other party, a record ({@code source_key}, and {@code source_system} when another channel's)
 * or an identifier ({@code id_number}, {@code uscc}). {@code codes assign} keeps them as links between records
 * ({@code record_relation}); they resolve to customer codes when read, through the current links, so merges and
 * unmerges keep them pointing at the right customers. The matcher does not read them: two customers are never
 * linked because they share a relative.
 * <pre>
 * "relations": [{"type": "spouse", "source_key": "A2"}, {"type": "employer", "uscc": "91350100M000100Y43"},
 *               {"type": "sales_agent", "source_system": "agent", "source_key": "AG-7"}]
 * </pre>
 */
public final class Relations {
    /** The relation types a record may state. */
    public static final Set<String> TYPES = Set.of("spouse", "parent", "child", "sibling", "relative", "employer",
            "employee", "legal_representative", "contact_person", "shareholder", "beneficiary", "sales_agent",
            "other");

    /** A relation as a record states it: its type, and the other party as a record or by an identifier. */
    record Stated(String type, String targetSystem, String targetKey, CustomerField targetField,
                  String targetValue) { }

    /** A relation resolved: its type, and the other customer's code. */
    public record Related(String type, String code) { }

    private Relations() {
    }

    /**
     * What is wrong with a relations value, for the importer's issues: each bad item by number and what it lacks,
     * never a value. Empty when every item is a relation.
     */
    public static Optional<String> problem(String json) {
        JsonNode items;
        try {
            items = Json.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            return Optional.of("not a JSON list of relations");
        }
        if (!items.isArray()) {
            return Optional.of("not a JSON list of relations");
        }
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String why = why(items.get(i));
            if (why != null) {
                bad.add("item " + (i + 1) + ": " + why);
            }
        }
        return bad.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", bad));
    }

    private static String why(JsonNode item) {
        if (!item.isObject()) {
            return "not an object";
        }
        String type = text(item, "type");
        if (type == null) {
            return "no type";
        }
        if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            return "unknown type (" + String.join(", ", TYPES.stream().sorted().toList()) + ")";
        }
        if (text(item, "source_key") == null && text(item, "id_number") == null && text(item, "uscc") == null) {
            return "no other party (source_key, id_number or uscc)";
        }
        return null;
    }

    /** The relations a value states, its bad items left out; a key without a channel is the record's own. */
    static List<Stated> parse(String json, String ownSystem) {
        if (json == null || problem(json).filter(p -> p.startsWith("not a JSON")).isPresent()) {
            return List.of();
        }
        List<Stated> stated = new ArrayList<>();
        for (JsonNode item : Json.MAPPER.readTree(json)) {
            if (why(item) != null) {
                continue;
            }
            String type = text(item, "type").toLowerCase(Locale.ROOT);
            String key = text(item, "source_key");
            if (key != null) {
                String system = text(item, "source_system");
                stated.add(new Stated(type, system == null ? ownSystem : system, key, null, null));
            } else if (text(item, "id_number") != null) {
                stated.add(new Stated(type, null, null, CustomerField.ID_NUMBER,
                        Normalizer.idNumber(text(item, "id_number"))));
            } else {
                stated.add(new Stated(type, null, null, CustomerField.USCC, Normalizer.code(text(item, "uscc"))));
            }
        }
        return stated;
    }

    private static String text(JsonNode item, String name) {
        JsonNode value = item.get(name);
        if (value == null || value.isNull() || value.isArray() || value.isObject()) {
            return null;
        }
        String text = Normalizer.text(value.asString());
        return text == null || text.length() > 200 ? null : text;
    }

    /**
     * In the caller's transaction: the relations of these records (each the current version of its key) replace
     * those their keys stated before. An identifier is resolved to the current record that holds it, when there is
     * one; else kept by its blind index, and resolved when read.
     */
    static void replace(DSLContext tx, List<SourceRecordRecord> rows, FieldProtector protector) {
        List<Row2<String, String>> replaced = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (SourceRecordRecord row : rows) {
            if (row.getVersion() != null && row.getVersion() > 1) {
                replaced.add(DSL.row(row.getSourceSystem(), row.getSourceKey()));
            }
            if (row.getRelations() == null) {
                continue;
            }
            String json = protector.open(CustomerField.RELATIONS, FieldProtector.row(row.getSourceSystem(),
                    row.getSourceKey()), row.getRelations());
            for (Stated s : parse(json, row.getSourceSystem())) {
                String targetSystem = s.targetSystem();
                String targetKey = s.targetKey();
                String bidx = null;
                if (s.targetField() != null) {
                    bidx = protector.blindIndex(s.targetField(), s.targetValue());
                    Field<String> column = SOURCE_RECORD.field(s.targetField().blindIndexColumn().orElseThrow(),
                            String.class);
                    var holder = tx.select(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD)
                            .where(column.eq(bidx).and(SOURCE_RECORD.IS_CURRENT.isTrue()))
                            .orderBy(SOURCE_RECORD.ID).limit(1).fetchOne();
                    if (holder != null) {
                        targetSystem = holder.value1();
                        targetKey = holder.value2();
                    }
                }
                boolean byRecord = targetKey != null;
                inserts.add(new Object[] {row.getSourceSystem(), row.getSourceKey(), s.type(), targetSystem,
                    targetKey, byRecord ? null : s.targetField().column(), byRecord ? null : bidx});
            }
        }
        for (int from = 0; from < replaced.size(); from += 1000) {
            tx.deleteFrom(RECORD_RELATION).where(DSL.row(RECORD_RELATION.SOURCE_SYSTEM, RECORD_RELATION.SOURCE_KEY)
                    .in(replaced.subList(from, Math.min(replaced.size(), from + 1000)))).execute();
        }
        BulkInsert.insert(tx, RECORD_RELATION, List.of(RECORD_RELATION.SOURCE_SYSTEM, RECORD_RELATION.SOURCE_KEY,
                RECORD_RELATION.RELATION_TYPE, RECORD_RELATION.TARGET_SYSTEM, RECORD_RELATION.TARGET_KEY,
                RECORD_RELATION.TARGET_FIELD, RECORD_RELATION.TARGET_BIDX), inserts);
    }

    /** The relations a customer's current records state, each to the customer the other party is now. */
    public static List<Related> of(DSLContext dsl, String code) {
        Set<Related> related = new LinkedHashSet<>();
        var own = CUSTOMER_LINK.as("own");
        for (var r : dsl.select(RECORD_RELATION.RELATION_TYPE, RECORD_RELATION.TARGET_SYSTEM,
                        RECORD_RELATION.TARGET_KEY, RECORD_RELATION.TARGET_FIELD, RECORD_RELATION.TARGET_BIDX)
                .from(RECORD_RELATION).join(own).on(own.SOURCE_SYSTEM.eq(RECORD_RELATION.SOURCE_SYSTEM)
                        .and(own.SOURCE_KEY.eq(RECORD_RELATION.SOURCE_KEY)).and(own.VALID_TO.isNull()))
                .where(own.CUSTOMER_CODE.eq(code)).orderBy(RECORD_RELATION.ID).fetch()) {
            List<String> codes = r.value3() != null
                    ? dsl.select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                            .where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(r.value2()).and(CUSTOMER_LINK.SOURCE_KEY
                                    .eq(r.value3())).and(CUSTOMER_LINK.VALID_TO.isNull()))
                            .fetch(CUSTOMER_LINK.CUSTOMER_CODE)
                    : holders(dsl, CustomerField.parse(r.value4()), r.value5());
            codes.stream().filter(c -> !c.equals(code)).forEach(c -> related.add(new Related(r.value1(), c)));
        }
        return List.copyOf(related);
    }

    /** The customers whose records state a relation (of {@code type}, or any) to this customer, as it is now. */
    public static List<Related> pointingAt(DSLContext dsl, String code, String type) {
        var mine = CUSTOMER_LINK.as("mine");
        var theirs = CUSTOMER_LINK.as("theirs");
        var mineRecord = SOURCE_RECORD.as("mine_record");
        var toMyRecord = DSL.exists(DSL.selectOne().from(mine).where(mine.CUSTOMER_CODE.eq(code)
                .and(mine.VALID_TO.isNull()).and(mine.SOURCE_SYSTEM.eq(RECORD_RELATION.TARGET_SYSTEM))
                .and(mine.SOURCE_KEY.eq(RECORD_RELATION.TARGET_KEY))));
        var toMyIdentifier = RECORD_RELATION.TARGET_BIDX.isNotNull().and(DSL.exists(DSL.selectOne().from(mine)
                .join(mineRecord).on(mineRecord.SOURCE_SYSTEM.eq(mine.SOURCE_SYSTEM)
                        .and(mineRecord.SOURCE_KEY.eq(mine.SOURCE_KEY)).and(mineRecord.IS_CURRENT.isTrue()))
                .where(mine.CUSTOMER_CODE.eq(code).and(mine.VALID_TO.isNull())
                        .and(mineRecord.ID_NUMBER_BIDX.eq(RECORD_RELATION.TARGET_BIDX)
                                .or(mineRecord.USCC_BIDX.eq(RECORD_RELATION.TARGET_BIDX))))));
        var which = toMyRecord.or(toMyIdentifier);
        if (type != null) {
            which = RECORD_RELATION.RELATION_TYPE.eq(type.toLowerCase(Locale.ROOT)).and(which);
        }
        return dsl.selectDistinct(RECORD_RELATION.RELATION_TYPE, theirs.CUSTOMER_CODE).from(RECORD_RELATION)
                .join(theirs).on(theirs.SOURCE_SYSTEM.eq(RECORD_RELATION.SOURCE_SYSTEM)
                        .and(theirs.SOURCE_KEY.eq(RECORD_RELATION.SOURCE_KEY)).and(theirs.VALID_TO.isNull()))
                .where(which.and(theirs.CUSTOMER_CODE.ne(code)))
                .orderBy(theirs.CUSTOMER_CODE, RECORD_RELATION.RELATION_TYPE)
                .fetch(r -> new Related(r.value1(), r.value2()));
    }

    /** The customers of the current records that hold an identifier (by its blind index). */
    private static List<String> holders(DSLContext dsl, CustomerField field, String bidx) {
        Field<String> column = SOURCE_RECORD.field(field.blindIndexColumn().orElseThrow(), String.class);
        return dsl.selectDistinct(CUSTOMER_LINK.CUSTOMER_CODE).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(CUSTOMER_LINK.SOURCE_SYSTEM.eq(SOURCE_RECORD.SOURCE_SYSTEM)
                        .and(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY))
                        .and(CUSTOMER_LINK.VALID_TO.isNull()))
                .where(column.eq(bidx).and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetch(CUSTOMER_LINK.CUSTOMER_CODE);
    }
}
