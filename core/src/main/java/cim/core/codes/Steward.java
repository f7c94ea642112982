package cim.core.codes;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerLinkRecord;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.db.schema.tables.records.ReviewItemRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.validate.FieldCheck;
import cim.core.validate.Problem;
import cim.core.validate.ResidentId;
import org.jooq.DSLContext;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.REVIEW_ITEM;

/**
 * The steward's actions (Art. 11 (2)): merge two customers, split a record off into its own code, and decide
 * review items. Each is one transaction with its audit event, taken in turn with {@code codes assign} (the same
 * lock, waited for), and the matcher never undoes it: a split or a rejected pair is recorded as a separation.
 */
public final class Steward {
    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;
    private final ChannelTrust trust;

    public Steward(Database db, AuditTrail audit, FieldProtector protector, ChannelTrust trust) {
        Profiles.require(db.dsl(), "a steward's merge, unmerge or review decision", Profiles.Profile.STEWARD);
        this.db = db;
        this.audit = audit;
        this.protector = protector;
        this.trust = trust;
    }

    /** What a merge did. */
    public record Merged(String survivor, String absorbed, int records) { }

    /** What an unmerge did. */
    /** An unmerge: the record, the code it left, and its code now ({@code restored}: its own from before a merge). */
    public record Split(String sourceSystem, String sourceKey, String from, String newCode, boolean restored) { }

    /** Merges {@code absorbed} into {@code survivor}, which keeps its code; the absorbed code redirects to it. */
    public Merged merge(CustomerCode survivor, CustomerCode absorbed, String reason) {
        requireReason(reason, "merge");
        if (survivor.equals(absorbed)) {
            throw new CimException(Failure.USAGE, "cannot merge " + survivor + " into itself",
                    "name two different customers: cim codes merge SURVIVOR ABSORBED --reason \"…\"");
        }
        return locked(tx -> {
            Customers customers = customers(tx);
            CustomerRecord keep = live(tx, survivor, "survivor");
            CustomerRecord gone = live(tx, absorbed, "absorbed");
            if (!keep.getCustomerType().equals(gone.getCustomerType())) {
                throw new CimException(Failure.USAGE, survivor + " is a " + type(keep) + " and " + absorbed + " a "
                        + type(gone) + ": a person and an organisation are never one customer",
                        "check the codes (cim codes show CODE)");
            }
            Merged merged = absorbInto(customers, keep.getCode(), gone.getCode(), "steward", reason);
            audit.append(tx, AuditEntry.of("codes.merge").object("customer", keep.getCode())
                    .subjects(List.of(keep.getCode(), gone.getCode())).reason(reason)
                    .detail(Map.of("survivor", keep.getCode(), "absorbed", gone.getCode(), "records",
                            merged.records())));
            return merged;
        });
    }

    private Merged absorbInto(Customers customers, String survivor, String absorbed, String rule, String reason) {
        DSLContext tx = customers.tx();
        List<MatchRecord> records = customers.linkedRecords(List.of(absorbed)).getOrDefault(absorbed, List.of());
        customers.absorb(survivor, absorbed, records, rule, reason, null);
        tx.deleteFrom(CODE_SEPARATION).where(CODE_SEPARATION.CODE_A.eq(pairA(survivor, absorbed))
                .and(CODE_SEPARATION.CODE_B.eq(pairB(survivor, absorbed)))).execute();
        customers.rebuild(survivor);
        return new Merged(survivor, absorbed, records.size());
    }

    /** Splits one source record off its customer into a new code of its own, pinned there. */
    public Split unmerge(String sourceSystem, String sourceKey, String reason) {
        requireReason(reason, "unmerge");
        return locked(tx -> {
            Customers customers = customers(tx);
            CustomerLinkRecord link = tx.selectFrom(CUSTOMER_LINK).where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(sourceSystem)
                    .and(CUSTOMER_LINK.SOURCE_KEY.eq(sourceKey)).and(CUSTOMER_LINK.VALID_TO.isNull())).fetchOne();
            if (link == null) {
                throw new CimException(Failure.USAGE, "no linked source record " + sourceSystem + "/" + sourceKey,
                        "check the channel and key (cim codes xref --source " + sourceSystem + "), or run "
                                + "'cim codes assign' first");
            }
            String from = link.getCustomerCode();
            List<MatchRecord> records = customers.linkedRecords(List.of(from)).getOrDefault(from, List.of());
            MatchRecord record = records.stream().filter(r -> r.stored().sourceSystem().equals(sourceSystem)
                    && r.stored().sourceKey().equals(sourceKey)).findFirst().orElseThrow();
            if (records.size() == 1) {
                throw new CimException(Failure.USAGE, sourceSystem + "/" + sourceKey + " is the only record of "
                        + from + ": there is nothing to split it from", "to join it to another customer use "
                        + "'cim codes merge'");
            }
            // undo: a record that came into this customer with a merge of its own earlier code gets that code back
            // (which then no longer redirects to a customer its record has left); otherwise a new code
            String restored = mergedAwayCode(tx, sourceSystem, sourceKey, from);
            String code = restored != null ? restored : customers.allocate(record.organisation(), 1).get(0);
            if (restored == null) {
                List<Object[]> created = new java.util.ArrayList<>();
                created.add(customers.newCustomer(code, List.of(record)));
                customers.insertCustomers(created);
            } else {
                tx.update(CUSTOMER).setNull(CUSTOMER.MERGED_INTO).set(CUSTOMER.UPDATED_AT,
                        java.time.OffsetDateTime.now()).where(CUSTOMER.CODE.eq(restored)).execute();
            }
            // a record split off a restricted customer stays restricted
            customers.restrictLike(code, from);
            customers.closeLinks(sourceSystem, sourceKey, "unmerge");
            List<Object[]> pinned = new java.util.ArrayList<>();
            pinned.add(customers.link(record, code, "steward", null, Map.of("split_from", from), true));
            customers.insertLinks(pinned);
            tx.update(MATCH_KEY).set(MATCH_KEY.CUSTOMER_CODE, code).where(MATCH_KEY.CUSTOMER_CODE.eq(from)
                    .and(MATCH_KEY.RECORD_ID.in(record.id(), link.getRecordId()))).execute();
            customers.rebuild(from);
            if (restored != null) {
                customers.rebuild(restored);
            }
            separate(customers, from, code, reason);
            customers.event(from, "unmerged", code, reason, Map.of("record", sourceSystem + "/" + sourceKey));
            customers.event(code, "split_from", from, reason, Map.of("record", sourceSystem + "/" + sourceKey));
            audit.append(tx, AuditEntry.of("codes.unmerge").object("source_record", sourceSystem + "/" + sourceKey)
                    .subjects(List.of(from, code)).reason(reason).detail(Map.of("from", from, "new_code", code,
                            "restored", restored != null)));
            return new Split(sourceSystem, sourceKey, from, code, restored != null);
        });
    }

    /**
     * The code a record was given first, when a merge (or a chain of them) brought it into {@code into}: that code
     * redirects, through its chain of merges, to {@code into}, has no record now, and never had another record than
     * this one (so giving it back hands no one else's code to it); null otherwise.
     */
    private static String mergedAwayCode(DSLContext tx, String sourceSystem, String sourceKey, String into) {
        String first = tx.select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.SOURCE_SYSTEM.eq(sourceSystem).and(CUSTOMER_LINK.SOURCE_KEY.eq(sourceKey)))
                .orderBy(CUSTOMER_LINK.VALID_FROM, CUSTOMER_LINK.ID).limit(1).fetchOne(CUSTOMER_LINK.CUSTOMER_CODE);
        if (first == null || first.equals(into)
                || tx.fetchExists(CUSTOMER_LINK, CUSTOMER_LINK.CUSTOMER_CODE.eq(first)
                        .and(CUSTOMER_LINK.VALID_TO.isNull()))
                || tx.fetchExists(CUSTOMER_LINK, CUSTOMER_LINK.CUSTOMER_CODE.eq(first)
                        .and(CUSTOMER_LINK.SOURCE_SYSTEM.ne(sourceSystem).or(CUSTOMER_LINK.SOURCE_KEY.ne(sourceKey))))) {
            return null;
        }
        String next = first;
        for (int hops = 0; hops < 1_000 && next != null; hops++) {
            next = tx.select(CUSTOMER.MERGED_INTO).from(CUSTOMER).where(CUSTOMER.CODE.eq(next))
                    .fetchOne(CUSTOMER.MERGED_INTO);
            if (into.equals(next)) {
                return first;
            }
        }
        return null;
    }

    /** What a correction did: the customer, the field, and whether the correction was taken back instead. */
    public record Corrected(String code, String field, boolean unpinned) { }

    /**
     * Sets a steward's value of a customer's field (Art. 46), normalised and validated as an import's would be and
     * kept by survivorship above every channel's; with {@code raw} null, takes the field's correction back instead.
     * The history and the audit event name the field, never a value.
     */
    public Corrected correct(CustomerCode asked, CustomerField field, String raw, String reason) {
        requireReason(reason, "correction");
        if (field == CustomerField.RELATIONS || field == CustomerField.POLICIES) {
            // relations resolve record to record; policies are the agreements retention runs from (Art. 47)
            throw new CimException(Failure.USAGE, field + " are not corrected on the customer: they come from the "
                    + "channels' records", "correct the record in its channel and import it again");
        }
        return locked(tx -> {
            CustomerRecord customer = live(tx, asked, "customer");
            String code = customer.getCode();
            Customers customers = customers(tx);
            if (raw == null) {
                if (!customers.corrections().unpin(code, field)) {
                    throw new CimException(Failure.USAGE, code + " has no correction of " + field + " to take back",
                            "'cim codes show " + code + "' shows which fields a steward corrected");
                }
            } else {
                customers.corrections().set(protector.registry(tx), code, field, checked(customer, field, raw));
            }
            customers.rebuild(code);
            customers.event(code, raw == null ? "unpinned" : "corrected", null, reason, Map.of("field",
                    field.column()));
            audit.append(tx, AuditEntry.of("codes.correct").object("customer", code).subjects(List.of(code))
                    .reason(reason).detail(Map.of("field", field.column(), "unpinned", raw == null)));
            return new Corrected(code, field.column(), raw == null);
        });
    }

    /** A new value as stored: normalised; refused with the validator's reason (never the value) when invalid. */
    private String checked(CustomerRecord customer, CustomerField field, String raw) {
        String idType;
        try {
            idType = protector.open(CustomerField.ID_TYPE, FieldProtector.goldenRows(customer.getProvenance(),
                    customer.getCode()).apply(CustomerField.ID_TYPE), customer.getIdType());
        } catch (FieldProtector.Unreadable e) {
            idType = null;
        }
        FieldCheck.Checked checked = FieldCheck.checked(field, raw, new FieldCheck.Context(
                ResidentId.isResidentIdType(idType), CustomerType.of(customer.getCustomerType()).organisation(), LocalDate.now()));
        if (checked.value() == null) {
            throw new CimException(Failure.INPUT, "the new " + field + " read from standard input is empty",
                    "give the value on standard input, or take the correction back with --unpin");
        }
        java.util.Optional<Problem> problem = checked.problem().or(() -> GoldenLists.FIELDS.contains(field)
                || field == CustomerField.PREFERENCES || field == CustomerField.ASSESSMENT
                ? FieldCheck.notJson(checked.value()) : java.util.Optional.empty());
        if (problem.isPresent()) {
            throw new CimException(Failure.INPUT, "the new " + field + " is invalid (" + problem.get()
                    + "); nothing was changed", "check the value and give it again on standard input");
        }
        return checked.value();
    }

    /** Accepts a review item: the record's code is merged into the candidate customer. */
    public Merged accept(long itemId, String reason) {
        String why = reason == null || reason.isBlank() ? "review item " + itemId + " accepted" : reason;
        return locked(tx -> {
            ReviewItemRecord item = openItem(tx, itemId);
            String candidate = liveCode(tx, item.getCandidateCode());
            String own = liveCode(tx, item.getRecordCode());
            Merged merged = own.equals(candidate) ? new Merged(candidate, own, 0)
                    : absorbInto(customers(tx), candidate, own, "review", why);
            decide(tx, item, "accepted", why);
            audit.append(tx, AuditEntry.of("codes.review.accept").object("review_item", String.valueOf(itemId))
                    .subjects(List.of(candidate, own)).reason(why).detail(Map.of("survivor", candidate,
                            "absorbed", own)));
            return merged;
        });
    }

    /** Rejects a review item: the two stay apart, and the matcher will not join them later. */
    public void reject(long itemId, String reason) {
        String why = reason == null || reason.isBlank() ? "review item " + itemId + " rejected" : reason;
        locked(tx -> {
            ReviewItemRecord item = openItem(tx, itemId);
            String candidate = liveCode(tx, item.getCandidateCode());
            String own = liveCode(tx, item.getRecordCode());
            if (!own.equals(candidate)) {
                separate(customers(tx), own, candidate, why);
            }
            decide(tx, item, "rejected", why);
            audit.append(tx, AuditEntry.of("codes.review.reject").object("review_item", String.valueOf(itemId))
                    .subjects(List.of(candidate, own)).reason(why));
            return null;
        });
    }

    private static void decide(DSLContext tx, ReviewItemRecord item, String state, String reason) {
        item.setState(state);
        item.setReason(reason);
        item.setDecidedAt(OffsetDateTime.now());
        item.store();
    }

    private ReviewItemRecord openItem(DSLContext tx, long itemId) {
        ReviewItemRecord item = tx.selectFrom(REVIEW_ITEM).where(REVIEW_ITEM.ID.eq(itemId)).fetchOne();
        if (item == null) {
            throw new CimException(Failure.USAGE, "no review item " + itemId, "list them: cim codes review list");
        }
        if (!"open".equals(item.getState())) {
            throw new CimException(Failure.USAGE, "review item " + itemId + " was already " + item.getState()
                    + " by " + item.getDecidedBy(), "list the open ones: cim codes review list");
        }
        item.setDecidedBy(audit.context().actor());
        return item;
    }

    private void separate(Customers customers, String a, String b, String reason) {
        customers.tx().insertInto(CODE_SEPARATION).set(CODE_SEPARATION.CODE_A, pairA(a, b))
                .set(CODE_SEPARATION.CODE_B, pairB(a, b)).set(CODE_SEPARATION.REASON, reason)
                .set(CODE_SEPARATION.ACTOR, customers.actor()).onConflictDoNothing().execute();
    }

    private static String pairA(String a, String b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static String pairB(String a, String b) {
        return a.compareTo(b) < 0 ? b : a;
    }

    /** A customer that exists, was not merged away and was not erased; otherwise a refusal naming what happened. */
    private static CustomerRecord live(DSLContext tx, CustomerCode code, String role) {
        CustomerRecord customer = CodeLookup.notMerged(tx, code, role);
        // an erased code holds no data and takes none
        Erasure.refuseErased(customer);
        return customer;
    }

    /** The code a (possibly merged) code now resolves to. */
    private static String liveCode(DSLContext tx, String code) {
        String current = code;
        for (int hops = 0; hops < 100; hops++) {
            String next = tx.select(CUSTOMER.MERGED_INTO).from(CUSTOMER).where(CUSTOMER.CODE.eq(current))
                    .fetchOne(CUSTOMER.MERGED_INTO);
            if (next == null) {
                return current;
            }
            current = next;
        }
        throw new IllegalStateException("a cycle of merged codes at " + code);
    }

    private Customers customers(DSLContext tx) {
        return new Customers(tx, protector, trust, audit.context().actor());
    }

    private <T> T locked(java.util.function.Function<DSLContext, T> action) {
        return locked(db, action);
    }

    /**
     * One transaction of a steward's action, taken in turn with {@code codes assign} (the same lock, waited for):
     * the matcher never sees a customer half changed.
     */
    static <T> T locked(Database db, java.util.function.Function<DSLContext, T> action) {
        try (JobLock lock = JobLock.acquire(db, CodeAssigner.LOCK, "cim codes assign", true)) {
            return db.dsl().transactionResult(tx -> action.apply(tx.dsl()));
        }
    }

    private static void requireReason(String reason, String action) {
        if (reason == null || reason.isBlank()) {
            throw new CimException(Failure.USAGE, "a " + action + " needs --reason",
                    "say why; it is kept in the customer's history and the audit trail");
        }
    }

    private static String type(CustomerRecord customer) {
        return CustomerType.of(customer.getCustomerType()).organisation() ? "organisation" : "person";
    }
}
