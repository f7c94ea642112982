package cim.core.codes;

import cim.core.CimException;
import cim.core.CustomerStatus;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.Engine;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.policy.Retention;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static cim.core.db.schema.Tables.CUSTOMER;

/**
 * A customer's erasure (PIPL Art. 47) and restriction (Art. 44). An erase deletes the customer's personal data from
 * every table that holds it: every version of its source records (sealed values and blind indexes with them), its
 * links and history, match keys, review items, relations to or from its records or naming its identifiers, admission
 * queue entries, corrections, the quarantined rows that carry one of its records' keys or identifiers, and the
 * golden values of its code and of the codes merged into it. The code stays reserved ({@code erased_at}). A
 * retention rule of the policy that still applies refuses the erase (exit 77); a restriction keeps the data for that
 * purpose only, and every other use leaves the customer out. One transaction, under the matcher's lock, audited.
 */
public final class Erasure {
    private final Database db;
    private final AuditTrail audit;
    private final FieldProtector protector;
    private final Retention retention;

    public Erasure(Database db, AuditTrail audit, FieldProtector protector, Retention retention) {
        Profiles.require(db.dsl(), "erasing or restricting a customer", Profiles.Profile.STEWARD);
        this.db = db;
        this.audit = audit;
        this.protector = protector;
        this.retention = retention;
    }

    /** What an erase did: the code, the codes merged into it, how many records and quarantined rows went. */
    public record Erased(String code, List<String> codes, long records, long quarantined, OffsetDateTime at,
                         boolean already) { }

    /** What a restriction did; {@code hold}: the retention rule the data is kept for, if one applies. */
    public record Restricted(String code, OffsetDateTime at, Optional<Retention.Hold> hold, boolean already) { }

    /** Refuses an action on an erased customer, naming the date. */
    static void refuseErased(CustomerRecord customer) {
        if (customer.getErasedAt() != null) {
            throw new CimException(Failure.USAGE, customer.getCode() + " was erased on "
                    + customer.getErasedAt().toLocalDate() + ": it holds no data", "'cim codes show "
                    + customer.getCode() + "' shows when; 'cim audit log --customer " + customer.getCode()
                    + "' by whom and why");
        }
    }

    /**
     * Erases the customer, unless a retention rule still keeps its data (exit 77, naming the rule and date). A code
     * erased already is reported as such ({@code already}), not erased again.
     */
    public Erased erase(CustomerCode asked, String reason) {
        requireReason(reason);
        return locked(tx -> {
            CustomerRecord customer = live(tx, asked);
            String code = customer.getCode();
            if (customer.getErasedAt() != null) {
                return new Erased(code, List.of(code), 0, 0, customer.getErasedAt(), true);
            }
            CustomerRows rows = CustomerRows.of(tx, code);
            Optional<Retention.Hold> hold = hold(rows);
            if (hold.isPresent()) {
                throw new CimException(Failure.NOT_PERMITTED, code + " cannot be erased: " + hold.get().describe(),
                        "restrict its use to that purpose instead: cim codes erase " + code
                                + " --restrict --reason \"…\"");
            }
            List<Long> quarantined = rows.quarantined(tx, protector);
            OffsetDateTime now = OffsetDateTime.now();
            Map<Field<?>, Object> cleared = new LinkedHashMap<>();
            for (String column : CustomerField.STORED_COLUMNS) {
                cleared.put(CUSTOMER.field(column), null);
            }
            for (Field<?> column : List.of(CUSTOMER.PROVENANCE, CUSTOMER.CHANNELS, CUSTOMER.FIRST_SOURCE_SYSTEM,
                    CUSTOMER.FIRST_COLLECTED_AT, CUSTOMER.RESTRICTED_AT)) {
                cleared.put(column, null);
            }
            cleared.put(CUSTOMER.ERASED_AT, now);
            cleared.put(CUSTOMER.UPDATED_AT, now);
            // its own row first; the codes merged into it after the deletes (which refuse merges made in this
            // transaction, so that no one can bring another customer's code under an erase)
            tx.update(CUSTOMER).set(cleared).where(CUSTOMER.CODE.eq(code)).execute();
            audit.append(tx, AuditEntry.of("codes.erase").object("customer", code).subjects(rows.codes).reason(reason)
                    .rows(rows.versions.size()).detail(Map.of("records", rows.records.size(), "versions",
                            rows.versions.size(), "quarantined", quarantined.size(), "codes", rows.codes)));
            if (Engine.of(tx).hasRoles()) {
                // the owner's function deletes them: it finds the same rows again, for the customer this
                // transaction has just marked erased and audited, and a steward may delete no row itself
                tx.select(DSL.field("cim_erase_rows({0}, {1})", Long.class, DSL.val(code),
                        DSL.val(quarantined.toArray(Long[]::new)))).fetchOne();
            } else {
                rows.delete(tx, quarantined);
            }
            tx.update(CUSTOMER).set(cleared).where(CUSTOMER.CODE.in(rows.codes)).execute();
            // the history keeps that it happened and why; nothing in it can rebuild the data
            new Customers(tx, protector, new ChannelTrust(List.of()), audit.context().actor()).event(code, "erased",
                    null, reason, Map.of("records", rows.records.size(), "codes", rows.codes));
            return new Erased(code, rows.codes, rows.records.size(), quarantined.size(), now, false);
        });
    }

    /** Restricts the customer's data to the retention purpose: every other use leaves it out. */
    public Restricted restrict(CustomerCode asked, String reason) {
        requireReason(reason);
        return locked(tx -> {
            CustomerRecord customer = live(tx, asked);
            String code = customer.getCode();
            refuseErased(customer);
            Optional<Retention.Hold> hold = hold(CustomerRows.of(tx, code));
            if (customer.getRestrictedAt() != null) {
                return new Restricted(code, customer.getRestrictedAt(), hold, true);
            }
            OffsetDateTime now = OffsetDateTime.now();
            tx.update(CUSTOMER).set(CUSTOMER.RESTRICTED_AT, now).set(CUSTOMER.UPDATED_AT, now)
                    .where(CUSTOMER.CODE.eq(code)).execute();
            Map<String, Object> detail = new HashMap<>();
            hold.ifPresent(h -> detail.put("retention_rule", h.rule().id()));
            hold.map(Retention.Hold::until).ifPresent(until -> detail.put("until", until.toString()));
            new Customers(tx, protector, new ChannelTrust(List.of()), audit.context().actor())
                    .event(code, "restricted", null, reason, detail);
            audit.append(tx, AuditEntry.of("codes.restrict").object("customer", code).subjects(List.of(code))
                    .reason(reason).detail(detail));
            return new Restricted(code, now, hold, false);
        });
    }

    /**
     * The retention rule that still keeps a customer's data today, if one does: from its records as the channels
     * delivered them, every version (a steward's correction of its policies counts for nothing here).
     */
    private Optional<Retention.Hold> hold(CustomerRows rows) {
        // insured by any version: a record that says so once had a relationship, whatever came after
        boolean insured = rows.versions.stream().anyMatch(v -> CustomerStatus.of(v.getStatus()) == CustomerStatus.INSURED);
        List<String> policies = new ArrayList<>();
        for (SourceRecordRecord version : rows.versions) {
            try {
                policies.add(protector.open(CustomerField.POLICIES, FieldProtector.row(version.getSourceSystem(),
                        version.getSourceKey()), version.getPolicies()));
            } catch (FieldProtector.Unreadable e) {
                // policies that do not open cannot show that the relationship ended: kept as if in force
                policies.add("not JSON: unreadable");
            }
        }
        LocalDate today = LocalDate.now();
        return retention.holds(Retention.relationship(insured, policies, today), today);
    }

    private static CustomerRecord live(DSLContext tx, CustomerCode code) {
        return CodeLookup.notMerged(tx, code, "customer");
    }

    private <T> T locked(java.util.function.Function<DSLContext, T> action) {
        return Steward.locked(db, action);
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new CimException(Failure.USAGE, "erasing or restricting a customer needs --reason",
                    "say why (the customer's request and its reference); it is kept in the audit trail");
        }
    }
}
