package cim.core.codes;

import cim.core.db.BulkInsert;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.ingest.Channels;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.validate.Normalizer;
import org.jooq.Condition;
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

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.RECORD_RELATION;

/**
 * Relationships between customers (Art. 7.3), as a channel record states them in {@code relations}: each item a
 * {@code type} and the other party, a record ({@code source_key}, and {@code source_system} when another channel's)
 * or an identifier ({@code id_number}, {@code uscc}). An identifier is another person's tier-1 value: the import keeps
 * only its blind index ({@code id_number_bidx}), never the value. {@code codes assign} keeps the relations as links
 * between records ({@code record_relation}); they resolve to customer codes when read, through the current links (an
 * identifier through the golden records' indexed blind indexes), so merges and unmerges keep them pointing at the
 * right customers. The matcher does not read them: two customers are never linked because they share a relative.
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
                  String targetBidx) { }

    /** The identifiers an item may name the other party by, each kept as its blind index under this key. */
    private static final java.util.Map<String, CustomerField> IDENTIFIERS = java.util.Map.of(
            "id_number", CustomerField.ID_NUMBER, "uscc", CustomerField.USCC);

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
        String system = text(item, "source_system");
        if (system != null && !Channels.plausibleCode(system)) {
            return "source_system is not a channel code (at most 40 characters, no '/')";
        }
        boolean identifier = IDENTIFIERS.keySet().stream().anyMatch(name -> text(item, name) != null
                || text(item, name + "_bidx") != null);
        if (text(item, "source_key") == null && !identifier) {
            return "no other party (source_key, id_number or uscc)";
        }
        return null;
    }

    /**
     * The value as stored: each identifier replaced by its blind index ({@code "id_number"} by {@code
     * "id_number_bidx"}), so that no other party's tier-1 value is kept, whatever the tier of {@code relations}.
     * A value that is not a JSON list is left as it is (the import flags it).
     */
    public static String withoutIdentifiers(String json, FieldProtector protector) {
        JsonNode items;
        try {
            items = Json.MAPPER.readTree(json);
        } catch (RuntimeException e) {
            return json;
        }
        if (!items.isArray()) {
            return json;
        }
        boolean changed = false;
        for (JsonNode item : items) {
            if (!(item instanceof tools.jackson.databind.node.ObjectNode object)) {
                continue;
            }
            for (var identifier : IDENTIFIERS.entrySet()) {
                JsonNode value = object.get(identifier.getKey());
                if (value == null) {
                    continue;
                }
                String text = value.isString() ? Normalizer.text(value.asString()) : null;
                object.remove(identifier.getKey());
                if (text != null) {
                    String normalised = identifier.getValue() == CustomerField.ID_NUMBER ? Normalizer.idNumber(text)
                            : Normalizer.code(text);
                    object.put(identifier.getKey() + "_bidx", protector.blindIndex(identifier.getValue(),
                            normalised));
                }
                changed = true;
            }
        }
        return changed ? Json.write(items) : json;
    }

    /**
     * The relations a value states, its bad items left out; a key without a channel is the record's own; an
     * identifier by its blind index (one stored in clear before the import kept only indexes is indexed here).
     */
    static List<Stated> parse(String json, String ownSystem, FieldProtector protector) {
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
                continue;
            }
            for (var identifier : IDENTIFIERS.entrySet()) {
                String bidx = text(item, identifier.getKey() + "_bidx");
                String clear = text(item, identifier.getKey());
                if (bidx == null && clear != null) {
                    bidx = protector.blindIndex(identifier.getValue(), identifier.getValue() == CustomerField.ID_NUMBER
                            ? Normalizer.idNumber(clear) : Normalizer.code(clear));
                }
                if (bidx != null && bidx.length() <= 64) {
                    stated.add(new Stated(type, null, null, identifier.getValue(), bidx));
                    break;
                }
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
     * those their keys stated before; one to an identifier is kept by its blind index and resolved when read.
     */
    /** The record_relation rows a record states ({@link #COLUMNS} order); none when it states no relation. */
    static List<Object[]> rows(SourceRecordRecord row, FieldProtector protector) {
        if (row.getRelations() == null) {
            return List.of();
        }
        String json = protector.open(CustomerField.RELATIONS, FieldProtector.row(row.getSourceSystem(),
                row.getSourceKey()), row.getRelations());
        List<Object[]> rows = new ArrayList<>();
        for (Stated s : parse(json, row.getSourceSystem(), protector)) {
            rows.add(new Object[] {row.getSourceSystem(), row.getSourceKey(), s.type(), s.targetSystem(),
                s.targetKey(), s.targetField() == null ? null : s.targetField().column(), s.targetBidx()});
        }
        return rows;
    }

    /** The columns of a stated relation's row. */
    static final List<Field<?>> COLUMNS = List.of(RECORD_RELATION.SOURCE_SYSTEM, RECORD_RELATION.SOURCE_KEY,
            RECORD_RELATION.RELATION_TYPE, RECORD_RELATION.TARGET_SYSTEM, RECORD_RELATION.TARGET_KEY,
            RECORD_RELATION.TARGET_FIELD, RECORD_RELATION.TARGET_BIDX);

    static void replace(DSLContext tx, List<SourceRecordRecord> rows, FieldProtector protector) {
        List<Row2<String, String>> replaced = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (SourceRecordRecord row : rows) {
            if (row.getVersion() != null && row.getVersion() > 1) {
                replaced.add(DSL.row(row.getSourceSystem(), row.getSourceKey()));
            }
            inserts.addAll(rows(row, protector));
        }
        for (int from = 0; from < replaced.size(); from += 1000) {
            tx.deleteFrom(RECORD_RELATION).where(DSL.row(RECORD_RELATION.SOURCE_SYSTEM, RECORD_RELATION.SOURCE_KEY)
                    .in(replaced.subList(from, Math.min(replaced.size(), from + 1000)))).execute();
        }
        BulkInsert.insert(tx, RECORD_RELATION, COLUMNS, inserts);
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

    /**
     * The customers whose records state a relation (of {@code type}, or any) to this customer, as it is now: to one of
     * its current records, or to an identifier its golden record holds. Two queries, each driven by an index.
     */
    public static List<Related> pointingAt(DSLContext dsl, String code, String type) {
        var mine = CUSTOMER_LINK.as("mine");
        var theirs = CUSTOMER_LINK.as("theirs");
        Condition ofType = type == null ? DSL.trueCondition()
                : RECORD_RELATION.RELATION_TYPE.eq(type.toLowerCase(Locale.ROOT));
        Set<Related> related = new java.util.TreeSet<>(java.util.Comparator.comparing(Related::code)
                .thenComparing(Related::type));
        dsl.select(RECORD_RELATION.RELATION_TYPE, theirs.CUSTOMER_CODE).from(mine).join(RECORD_RELATION)
                .on(RECORD_RELATION.TARGET_SYSTEM.eq(mine.SOURCE_SYSTEM).and(RECORD_RELATION.TARGET_KEY
                        .eq(mine.SOURCE_KEY)))
                .join(theirs).on(theirs.SOURCE_SYSTEM.eq(RECORD_RELATION.SOURCE_SYSTEM)
                        .and(theirs.SOURCE_KEY.eq(RECORD_RELATION.SOURCE_KEY)).and(theirs.VALID_TO.isNull()))
                .where(mine.CUSTOMER_CODE.eq(code).and(mine.VALID_TO.isNull()).and(ofType))
                .forEach(r -> related.add(new Related(r.value1(), r.value2())));
        var customer = dsl.select(CUSTOMER.ID_NUMBER_BIDX, CUSTOMER.USCC_BIDX).from(CUSTOMER)
                .where(CUSTOMER.CODE.eq(code)).fetchOne();
        List<String> identifiers = customer == null ? List.of() : java.util.stream.Stream.of(customer.value1(),
                customer.value2()).filter(java.util.Objects::nonNull).toList();
        if (!identifiers.isEmpty()) {
            dsl.select(RECORD_RELATION.RELATION_TYPE, theirs.CUSTOMER_CODE).from(RECORD_RELATION).join(theirs)
                    .on(theirs.SOURCE_SYSTEM.eq(RECORD_RELATION.SOURCE_SYSTEM)
                            .and(theirs.SOURCE_KEY.eq(RECORD_RELATION.SOURCE_KEY)).and(theirs.VALID_TO.isNull()))
                    .where(RECORD_RELATION.TARGET_BIDX.in(identifiers).and(ofType))
                    .forEach(r -> related.add(new Related(r.value1(), r.value2())));
        }
        related.removeIf(r -> r.code().equals(code));
        return List.copyOf(related);
    }

    /** The customers whose golden record holds an identifier (by its blind index; an indexed column). */
    private static List<String> holders(DSLContext dsl, CustomerField field, String bidx) {
        Field<String> column = CUSTOMER.field(field.blindIndexColumn().orElseThrow(), String.class);
        return dsl.select(CUSTOMER.CODE).from(CUSTOMER).where(column.eq(bidx).and(CUSTOMER.MERGED_INTO.isNull()))
                .fetch(CUSTOMER.CODE);
    }
}
