package cim.core.codes;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.db.schema.tables.records.CustomerEventRecord;
import cim.core.db.schema.tables.records.CustomerLinkRecord;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import org.jooq.DSLContext;
import org.jooq.Record3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** Reading customers: a code (following merge redirects), its links and history, and the cross-reference. */
public final class CodeLookup {
    private final DSLContext dsl;

    public CodeLookup(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A customer by code; an unknown code is a usage error. */
    static CustomerRecord find(DSLContext dsl, CustomerCode code) {
        CustomerRecord customer = dsl.selectFrom(CUSTOMER).where(CUSTOMER.CODE.eq(code.value())).fetchOne();
        if (customer == null) {
            throw new CimException(Failure.USAGE, "no customer " + code + " in this database",
                    "check the code (cim codes xref lists every record's code)");
        }
        return customer;
    }

    /** A customer that exists and was not merged away; otherwise a usage error naming its survivor. */
    static CustomerRecord notMerged(DSLContext dsl, CustomerCode code, String role) {
        CustomerRecord customer = find(dsl, code);
        if (customer.getMergedInto() != null) {
            throw new CimException(Failure.USAGE, "the " + role + " " + code + " was merged into "
                    + customer.getMergedInto() + " and is no longer a customer of its own",
                    "use " + customer.getMergedInto() + " instead");
        }
        return customer;
    }

    /** The code a source record is linked to now; a usage error when it is not linked. */
    public CustomerCode codeOf(String sourceSystem, String sourceKey) {
        String code = dsl.select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(sourceSystem).and(CUSTOMER_LINK.SOURCE_KEY.eq(sourceKey))
                        .and(CUSTOMER_LINK.VALID_TO.isNull())).fetchOne(CUSTOMER_LINK.CUSTOMER_CODE);
        if (code == null) {
            throw new CimException(Failure.USAGE, "no linked source record " + sourceSystem + "/" + sourceKey,
                    "check the channel and key, or run 'cim codes assign' first");
        }
        return new CustomerCode(code);
    }

    /** A customer and what a steward needs to see of it. */
    public record View(String asked, List<String> redirects, CustomerRecord customer, List<CustomerLinkRecord> links,
                       List<CustomerEventRecord> events, Map<String, Collected> collected) {
        /** Where and when the current version of a linked record was collected (none when it says nothing). */
        public Collected collected(CustomerLinkRecord link) {
            return collected(link.getSourceSystem() + "/" + link.getSourceKey());
        }

        /** The same, of a record named channel/key. */
        public Collected collected(String record) {
            return collected.getOrDefault(record, Collected.NONE);
        }

        /**
         * The record behind each field of the golden record that has a value: channel/key#batch by column; for a
         * list combined from several records, per item the list of records that supplied it.
         */
        public Map<String, Object> provenance() {
            return GoldenRecord.provenance(customer.getProvenance(), column -> customer.get(column) != null);
        }
    }

    /**
     * The branch that collected a record and when, as its channel delivered them, and the values its import's
     * cleansing corrected, as received (one JSON object, sealed; each may be null).
     */
    public record Collected(String branch, java.time.OffsetDateTime at, String cleansed) {
        static final Collected NONE = new Collected(null, null, null);
    }

    /** The code a code stands for now: itself, or the survivor a merge redirects it to; unknown: a usage error. */
    public CustomerCode current(CustomerCode code) {
        List<CustomerRecord> chain = redirects(code);
        return CustomerCode.parse(chain.get(chain.size() - 1).getCode());
    }

    /** The customers a code leads through: its own, then each one it was merged into, the current one last. */
    private List<CustomerRecord> redirects(CustomerCode code) {
        List<CustomerRecord> chain = new ArrayList<>(List.of(find(dsl, code)));
        while (chain.get(chain.size() - 1).getMergedInto() != null && chain.size() <= 100) {
            chain.add(find(dsl, CustomerCode.parse(chain.get(chain.size() - 1).getMergedInto())));
        }
        return chain;
    }

    /** The customer a code resolves to (a merged code redirects to its survivor), with links and history. */
    public View show(CustomerCode code) {
        List<CustomerRecord> chain = redirects(code);
        CustomerRecord customer = chain.get(chain.size() - 1);
        List<String> redirects = chain.subList(1, chain.size()).stream().map(CustomerRecord::getCode).toList();
        List<CustomerLinkRecord> links = dsl.selectFrom(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(customer.getCode()))
                .orderBy(CUSTOMER_LINK.VALID_FROM, CUSTOMER_LINK.ID).fetch();
        List<String> codes = new ArrayList<>(List.of(customer.getCode()));
        codes.addAll(dsl.select(CUSTOMER.CODE).from(CUSTOMER).where(CUSTOMER.MERGED_INTO.eq(customer.getCode()))
                .fetch(CUSTOMER.CODE));
        List<CustomerEventRecord> events = dsl.selectFrom(CUSTOMER_EVENT).where(CUSTOMER_EVENT.CUSTOMER_CODE.in(codes))
                .orderBy(CUSTOMER_EVENT.OCCURRED_AT, CUSTOMER_EVENT.ID).fetch();
        Map<String, Collected> collected = new java.util.HashMap<>();
        dsl.select(SOURCE_RECORD.SOURCE_SYSTEM, SOURCE_RECORD.SOURCE_KEY, SOURCE_RECORD.BRANCH,
                        SOURCE_RECORD.COLLECTED_AT, SOURCE_RECORD.CLEANSED).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(Links.ofRecord())
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(customer.getCode()).and(SOURCE_RECORD.IS_CURRENT.isTrue()))
                .forEach(r -> collected.put(r.value1() + "/" + r.value2(), new Collected(r.value3(), r.value4(),
                        r.value5())));
        return new View(code.value(), redirects, customer, links, events, collected);
    }

    /**
     * A customer's name and type, for a list of customers (its relations): the golden name opened, null when it has
     * none or it does not open (altered), for the caller to mask.
     */
    public record Named(String code, String name, boolean organisation) { }

    /** The customers of these codes, named. */
    public List<Named> named(List<String> codes, FieldProtector protector) {
        List<Named> named = new ArrayList<>();
        for (String code : codes) {
            CustomerRecord customer = dsl.selectFrom(CUSTOMER).where(CUSTOMER.CODE.eq(code)).fetchOne();
            if (customer == null) {
                continue;
            }
            List<String> linked = dsl.select(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY).from(CUSTOMER_LINK)
                    .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code).and(CUSTOMER_LINK.VALID_TO.isNull()))
                    .fetch(r -> FieldProtector.row(r.value1(), r.value2()));
            String name;
            try {
                name = protector.open(CustomerField.NAME, FieldProtector.goldenRows(customer.getProvenance(), code,
                        linked).apply(CustomerField.NAME), customer.getName());
            } catch (FieldProtector.Unreadable e) {
                name = null;
            }
            named.add(new Named(code, name, CustomerType.of(customer.getCustomerType()).organisation()));
        }
        return named;
    }

    /** The review items in a state (open, accepted, rejected), oldest first. */
    public List<Review> reviews(String state, int limit) {
        return dsl.selectFrom(REVIEW_ITEM)
                .where(REVIEW_ITEM.STATE.eq(state))
                .orderBy(REVIEW_ITEM.ID).limit(limit)
                .fetch(r -> new Review(r.getId(), r.getSourceSystem(), r.getSourceKey(), r.getRecordCode(),
                        r.getCandidateCode(), r.getScore(), r.getExplanation(), r.getState(), r.getCreatedAt()));
    }

    /**
     * A review item: the record (its channel and key, and the code it was given), the customer it may belong to,
     * the score and the findings (JSON), its state, and when it was made.
     */
    public record Review(Long id, String sourceSystem, String sourceKey, String recordCode, String candidateCode,
                         java.math.BigDecimal score, String explanation, String state,
                         java.time.OffsetDateTime createdAt) { }

    /**
     * Every current link: source system, source key, code; for one channel or all. Streamed (a read-only
     * transaction, so that PostgreSQL hands out rows by the fetch size rather than all at once).
     */
    public void xref(String sourceSystem, Consumer<Record3<String, String, String>> row) {
        dsl.transaction(tx -> xref(tx.dsl(), sourceSystem, row));
    }

    private static void xref(DSLContext dsl, String sourceSystem, Consumer<Record3<String, String, String>> row) {
        var query = dsl.select(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY, CUSTOMER_LINK.CUSTOMER_CODE)
                .from(CUSTOMER_LINK).where(CUSTOMER_LINK.VALID_TO.isNull()
                        .and(sourceSystem == null ? org.jooq.impl.DSL.trueCondition()
                                : CUSTOMER_LINK.SOURCE_SYSTEM.eq(sourceSystem)))
                .orderBy(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY);
        try (var cursor = query.fetchSize(5_000).fetchLazy()) {
            cursor.forEach(row);
        }
    }
}
