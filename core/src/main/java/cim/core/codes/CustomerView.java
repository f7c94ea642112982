package cim.core.codes;

import cim.core.CustomerType;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.json.Json;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.MaskProfile;
import cim.core.protect.Masker;
import cim.core.validate.Cleanser;
import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A customer as {@code codes show} presents it: its golden values opened and masked by the profile, what a cleansed
 * value was as received, its relations with the other party's name masked alike. Unmasking is decided here (only a
 * role whose profile may reveal; with a reason) and audited here, in the same call that opens the values.
 */
public final class CustomerView {
    /** What is shown for a stored value that does not open. */
    public static final String UNREADABLE = "(unreadable)";

    /** A relation of the customer: its type, the customer the other party is now, and that customer's masked name. */
    public record Relation(String type, String code, String name) { }

    /**
     * The customer: its code (the one asked for, and the merges that lead from it to this one), type, status, when
     * it was restricted or erased (null: not), its channels and the first to collect it.
     */
    public record Customer(String code, String asked, List<String> redirects, String customerType, String status,
                           OffsetDateTime restrictedAt, OffsetDateTime erasedAt, String channels,
                           String firstSourceSystem) { }

    /**
     * A source record linked to the customer, now or before: how (rule, score, the per-field findings as JSON, who),
     * since when and until when (and why it ended), and where and when its current version was collected.
     */
    public record Link(String sourceSystem, String sourceKey, String rule, BigDecimal score, String explanation,
                       String linkedBy, OffsetDateTime validFrom, OffsetDateTime validTo, String endedBy,
                       String branch, OffsetDateTime collectedAt) { }

    /** A merge, unmerge or ended link in the customer's history. */
    public record Event(OffsetDateTime occurredAt, String code, String action, String otherCode, String reason,
                        String actor) { }

    /**
     * The customer shown: the golden values masked (by field column; {@link #UNREADABLE} for one that did not open,
     * named in {@code unreadable}) and where each came from, the received form of cleansed values, the relations,
     * the linked records and the history.
     */
    public record Shown(Customer customer, Map<String, Object> golden, List<String> unreadable,
                        Map<String, Object> provenance, Map<String, Object> cleansedFrom, List<Relation> relations,
                        List<Link> links, List<Event> history) { }

    private final DSLContext dsl;
    private final FieldProtector protector;
    private final AuditTrail audit;

    public CustomerView(DSLContext dsl, FieldProtector protector, AuditTrail audit) {
        this.dsl = dsl;
        this.protector = protector;
        this.audit = audit;
    }

    /**
     * The customer of {@code code} (a merged code shows its survivor), masked by {@code profile}; {@code reason}
     * is required (and audited, with every customer whose values are shown) when the profile unmasks.
     */
    public Shown show(CustomerCode code, MaskProfile profile, String reason) {
        profile.requireReason(reason);
        if (profile == MaskProfile.NONE) {
            Profiles.requireRevealer(dsl, "--mask none");
        }
        Masker masker = new Masker(protector.registry(dsl), profile, reason);
        CodeLookup.View view = new CodeLookup(dsl).show(code);
        CustomerRecord customer = view.customer();
        boolean organisation = CustomerType.of(customer.getCustomerType()).organisation();
        Map<String, Object> golden = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        // each golden value is bound to the source record that supplied it, which the provenance names
        // (one of the customer's current records: a provenance rewritten to name another customer's opens nothing)
        Function<CustomerField, String> boundTo = FieldProtector.goldenRows(customer.getProvenance(),
                customer.getCode(), view.links().stream().filter(l -> l.getValidTo() == null)
                        .map(l -> FieldProtector.row(l.getSourceSystem(), l.getSourceKey())).toList());
        for (CustomerField field : CustomerField.values()) {
            String stored = customer.get(field.column(), String.class);
            if (stored != null) {
                try {
                    golden.put(field.column(), masker.show(field, protector.open(field, boundTo.apply(field), stored),
                            organisation));
                } catch (FieldProtector.Unreadable e) {
                    // the rest of the record is still shown; the value is named as unreadable, never guessed
                    golden.put(field.column(), UNREADABLE);
                    unreadable.add(field.column());
                }
            }
        }
        Map<String, Object> cleansedFrom = cleansedFrom(view, golden, boundTo, masker, organisation);
        List<Relations.Related> related = Relations.of(dsl, customer.getCode());
        Map<String, String> names = new LinkedHashMap<>();
        new CodeLookup(dsl).named(related.stream().map(Relations.Related::code).distinct().toList(), protector)
                .forEach(n -> names.put(n.code(), n.name() == null ? "" : masker.show(CustomerField.NAME, n.name(),
                        n.organisation())));
        List<Relation> relations = related.stream().map(r -> new Relation(r.type(), r.code(), names.get(r.code())))
                .toList();
        AuditEntry reveal = masker.revealEvent("codes.show.unmasked", reason, customer.getCode(), 1, null);
        if (reveal != null) {
            // one transaction: the event, its customers and the chain's head together, or none of them
            // the related customers' names are shown unmasked too: they are subjects of the reveal
            List<String> subjects = new ArrayList<>(List.of(customer.getCode()));
            related.stream().map(Relations.Related::code).filter(c -> !subjects.contains(c)).forEach(subjects::add);
            dsl.transaction(tx -> audit.append(tx.dsl(), reveal.subjects(subjects)));
        }
        Customer shown = new Customer(customer.getCode(), view.asked(), view.redirects(), customer.getCustomerType(),
                customer.getStatus(), customer.getRestrictedAt(), customer.getErasedAt(), customer.getChannels(),
                customer.getFirstSourceSystem());
        List<Link> links = view.links().stream().map(l -> {
            CodeLookup.Collected collected = view.collected(l);
            return new Link(l.getSourceSystem(), l.getSourceKey(), l.getRule(), l.getScore(), l.getExplanation(),
                    l.getLinkedBy(), l.getValidFrom(), l.getValidTo(), l.getEndedBy(), collected.branch(),
                    collected.at());
        }).toList();
        List<Event> history = view.events().stream().map(e -> new Event(e.getOccurredAt(), e.getCustomerCode(),
                e.getAction(), e.getOtherCode(), e.getReason(), e.getActor())).toList();
        return new Shown(shown, golden, unreadable, view.provenance(), cleansedFrom, relations, links, history);
    }

    /** A golden value its supplier's import cleansed: what it was as received, masked like the value. */
    private Map<String, Object> cleansedFrom(CodeLookup.View view, Map<String, Object> golden,
                                             Function<CustomerField, String> boundTo, Masker masker,
                                             boolean organisation) {
        Map<String, Object> cleansedFrom = new LinkedHashMap<>();
        for (CustomerField field : CustomerField.values()) {
            if (!golden.containsKey(field.column()) || UNREADABLE.equals(golden.get(field.column()))) {
                continue;
            }
            String supplier = boundTo.apply(field);
            String sealed = view.collected(supplier).cleansed();
            if (sealed != null) {
                try {
                    Object received = Json.readMap(protector.open(Cleanser.SEAL_CONTEXT, supplier, sealed))
                            .get(field.column());
                    if (received != null) {
                        cleansedFrom.put(field.column(), masker.show(field, received.toString(), organisation));
                    }
                } catch (FieldProtector.Unreadable e) {
                    cleansedFrom.put(field.column(), UNREADABLE);
                }
            }
        }
        return cleansedFrom;
    }
}
