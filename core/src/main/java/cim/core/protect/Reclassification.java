package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditEvent;
import cim.core.audit.AuditKey;
import cim.core.audit.AuditTrail;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.TierChangeRecord;
import cim.core.db.schema.tables.records.TierRegistryRecord;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.KEY_ROTATION;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.TIER_CHANGE;
import static cim.core.db.schema.Tables.TIER_REGISTRY;

/**
 * Moves a field to another tier (Art. 10) and re-protects its stored values: encrypted when it enters tier 1,
 * decrypted when it leaves. The registry changes first, so new writes already use the new protection; existing
 * values follow in batches, each committed with its progress, so a killed run is finished by running it again.
 * Stored values say whether they are sealed, so readers are right during the move, and no value is lost.
 *
 * <p>Moving a field out of tier 1 decrypts its values and unmasks it in default exports: it is refused unless the
 * caller names the reveal ({@code allowReveal}), and is then audited as one, with the number of values. The
 * registry row is signed again with the change ({@link TierRegistry}); a row changed outside cim can only be
 * repaired this way, which re-protects every value to the tier asked for, whatever the row claimed. Moving into tier
 * 1 also masks the field in quarantine's copies for people.
 */
public final class Reclassification {
    public static final int DEFAULT_BATCH = 10_000;

    private final DSLContext dsl;
    private final AuditTrail audit;

    public Reclassification(DSLContext dsl, AuditTrail audit) {
        this.dsl = dsl;
        this.audit = audit;
    }

    /** What a change would do: whether values change protection, and how many; whether it reveals them. */
    public record Impact(CustomerField field, Tier from, Tier to, boolean reprotect, long values) {
        /** Out of tier 1, or sealed values to decrypt whatever the registry's entry says (it may be tampered). */
        public boolean reveals() {
            return !to.encrypted() && (from.encrypted() || values > 0);
        }
    }

    /** What a change did; {@code unreadable}: sealed values that did not open (altered), left as they were. */
    public record Outcome(CustomerField field, Tier from, Tier to, long values, boolean resumed, long changeId,
                          long unreadable) { }

    public Impact plan(CustomerField field, Tier to) {
        Tier from = TierRegistry.load(dsl).tier(field);
        TierChangeRecord unfinished = unfinished(field);
        if (unfinished != null) {
            from = Tier.of(unfinished.getFromTier());
        }
        // the stored values decide what changes, not the registry's word: a dry run, which has no keyset, cannot
        // check the entry's signature, and an entry changed outside cim claims the wrong tier
        long values = countToChange(field, to);
        return new Impact(field, from, to, values > 0 || from.encrypted() != to.encrypted(), values);
    }

    private long countToChange(CustomerField field, Tier to) {
        long count = 0;
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            Field<String> column = walk.column(field);
            count += dsl.fetchCount(walk.table(), to.encrypted() ? FieldProtector.clear(column)
                    : FieldProtector.sealed(column));
        }
        return count;
    }

    /**
     * Applies the change, or finishes an unfinished one to the same tier.
     *
     * @param progress told the running count of values re-protected
     */
    public Outcome apply(CustomerField field, Tier to, String reason, boolean allowReveal, FieldProtector protector,
                         int batchSize, LongConsumer progress) {
        return apply(field, to, reason, allowReveal, protector, batchSize, progress, tx -> { });
    }

    /**
     * As above, with {@code stillHeld} run in each batch's transaction before it commits: it throws when a lock the
     * caller took for the whole change is gone (its session ended), so no batch commits without it.
     */
    public Outcome apply(CustomerField field, Tier to, String reason, boolean allowReveal, FieldProtector protector,
                         int batchSize, LongConsumer progress, java.util.function.Consumer<DSLContext> stillHeld) {
        if (reason == null || reason.isBlank()) {
            throw new CimException(Failure.USAGE, "a reclassification needs --reason",
                    "say why (e.g. the regulation or decision); it is kept in the tier history and audit trail");
        }
        Profiles.require(dsl, "a change of tier", Profiles.Profile.ADMIN);
        TierChangeRecord change = unfinished(field);
        boolean resumed = change != null;
        if (resumed && change.getToTier() != to.level()) {
            throw new CimException(Failure.USAGE, "moving " + field + " to tier " + change.getToTier()
                    + " is unfinished", "finish it first: cim tiers set " + field + " --tier " + change.getToTier()
                    + " --reason \"…\"");
        }
        if (!resumed) {
            change = start(field, to, reason, allowReveal, protector.keyring().auditKey());
            if (change == null) {
                return new Outcome(field, to, to, 0, false, 0, 0);
            }
        }
        long done = change.getValuesDone();
        java.util.concurrent.atomic.AtomicLong unreadable = new java.util.concurrent.atomic.AtomicLong();
        if ("running".equals(change.getState())) {
            done += reprotect(change, field, to, protector, batchSize, progress, unreadable, stillHeld);
            finish(change.getId(), field, done);
        }
        return new Outcome(field, Tier.of(change.getFromTier()), to, done, resumed, change.getId(), unreadable.get());
    }

    private TierChangeRecord start(CustomerField field, Tier to, String reason, boolean allowReveal, AuditKey key) {
        if (dsl.fetchExists(KEY_ROTATION, KEY_ROTATION.STATE.eq("running"))) {
            throw new CimException(Failure.LOCKED, "a key rotation is still moving values to its new key",
                    "finish it first: run 'cim keys rotate' again, then this command");
        }
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            // imports under way end first: what they store is then there to re-protect, and later ones see the tier
            TierRegistry.lockForChange(t);
            TierRegistryRecord row = t.selectFrom(TIER_REGISTRY).where(TIER_REGISTRY.FIELD.eq(field.column()))
                    .forUpdate().fetchSingle();
            // other entries changed outside cim are repaired one by one, each by its own 'tiers set'
            boolean repair = TierRegistry.changed(t, key).contains(field);
            Tier from = Tier.of(row.getTier());
            // a repaired row's tier is not to be trusted, and tier-1 values written in clear around cim are found
            // by 'tiers verify': either way every value is brought to the tier asked for
            long stray = from == to && to.encrypted() ? new Reclassification(t, audit).countToChange(field, to) : 0;
            if (from == to && !repair && stray == 0) {
                return null;
            }
            boolean reprotect = repair || stray > 0 || from.encrypted() != to.encrypted();
            long values = reprotect ? new Reclassification(t, audit).countToChange(field, to) : 0;
            boolean reveals = !to.encrypted() && (from.encrypted() || repair && values > 0);
            if (reveals && !allowReveal) {
                throw new CimException(Failure.NOT_PERMITTED, "moving " + field + " out of tier 1 decrypts its "
                        + values + " stored values and unmasks it in default exports", "if that is the decision, "
                        + "name the reveal: add --allow-reveal (an admin's step; it is audited as a reveal, with the "
                        + "number of values)");
            }
            if (reveals) {
                cim.core.db.Profiles.requireRevealer(t, "moving " + field + " out of tier 1");
            }
            TierChangeRecord change = t.insertInto(TIER_CHANGE)
                    .set(TIER_CHANGE.FIELD, field.column())
                    .set(TIER_CHANGE.FROM_TIER, (short) from.level())
                    .set(TIER_CHANGE.TO_TIER, (short) to.level())
                    .set(TIER_CHANGE.REASON, reason)
                    .set(TIER_CHANGE.ACTOR, audit.context().actor())
                    .set(TIER_CHANGE.STATE, reprotect ? "running" : "done")
                    .set(TIER_CHANGE.VALUES_TOTAL, values)
                    .set(TIER_CHANGE.FINISHED_AT, reprotect ? null : OffsetDateTime.now())
                    .returning().fetchSingle();
            Map<String, Object> detail = new HashMap<>(Map.of("from", from.level(), "to", to.level(),
                    "change", change.getId(), "reprotect", reprotect));
            if (reveals) {
                detail.put("reveal", true);
            }
            if (repair) {
                detail.put("repair", true);
                // the masking rule is signed as found (cim never changes it), so the event says which; one that is
                // no rule at all becomes the strictest
                if (MaskingRule.find(row.getMasking()).isEmpty()) {
                    row.setMasking(MaskingRule.REDACT.id());
                }
                detail.put("masking", row.getMasking());
            }
            AuditEvent event = audit.append(t, AuditEntry.of("tiers.set").object("field", field.column())
                    .rows(values).reason(reason).detail(detail));
            row.setTier((short) to.level());
            row.setVersion(row.getVersion() + 1);
            row.setChangedAt(OffsetDateTime.now());
            row.setSetSeq(event.seq());
            TierRegistry.sign(t, key, row);
            return change;
        });
    }

    private long reprotect(TierChangeRecord change, CustomerField field, Tier to, FieldProtector protector,
                           int batchSize, LongConsumer progress, java.util.concurrent.atomic.AtomicLong unreadable,
                           java.util.function.Consumer<DSLContext> stillHeld) {
        long[] done = {change.getValuesDone()};
        long changed = 0;
        boolean reached = change.getResumeTable() == null;
        boolean inQuarantine = QUARANTINE.getName().equals(change.getResumeTable());
        for (ProtectedTables.Walk walk : inQuarantine ? List.<ProtectedTables.Walk>of() : ProtectedTables.ALL) {
            String name = walk.table().getName();
            if (!reached && !name.equals(change.getResumeTable())) {
                continue;
            }
            long after = !reached && change.getResumeAfter() != null ? change.getResumeAfter() : 0;
            reached = true;
            changed += ColumnRewriter.rewrite(dsl, walk.table(), walk.id(), List.of(walk.column(field)),
                    walk.identity(), (row, column, stored) -> {
                        try {
                            return protector.reprotect(to, field, walk.row(row, field), stored);
                        } catch (FieldProtector.Unreadable e) {
                            // one altered value must not stop the change half-way: it stays as it was, counted
                            unreadable.incrementAndGet();
                            return stored;
                        }
                    }, after, batchSize, (tx, lastId, n) -> {
                        stillHeld.accept(tx);
                        done[0] += n;
                        tx.update(TIER_CHANGE).set(TIER_CHANGE.RESUME_TABLE, name)
                                .set(TIER_CHANGE.RESUME_AFTER, lastId)
                                .set(TIER_CHANGE.VALUES_DONE, done[0])
                                .where(TIER_CHANGE.ID.eq(change.getId())).execute();
                        progress.accept(done[0]);
                    });
        }
        if (to.encrypted()) {
            MaskingRule rule = MaskingRule.parse(dsl.select(TIER_REGISTRY.MASKING).from(TIER_REGISTRY)
                    .where(TIER_REGISTRY.FIELD.eq(field.column())).fetchSingle().value1());
            long after = inQuarantine && change.getResumeAfter() != null ? change.getResumeAfter() : 0;
            ColumnRewriter.rewrite(dsl, QUARANTINE, QUARANTINE.ID, List.of(QUARANTINE.RAW_MASKED), List.of(),
                    (row, column, masked) -> Quarantined.mask(masked, field, rule), after, batchSize,
                    (tx, lastId, n) -> {
                        stillHeld.accept(tx);
                        tx.update(TIER_CHANGE).set(TIER_CHANGE.RESUME_TABLE, QUARANTINE.getName())
                                .set(TIER_CHANGE.RESUME_AFTER, lastId)
                                .where(TIER_CHANGE.ID.eq(change.getId())).execute();
                    });
        }
        return changed;
    }

    private void finish(long changeId, CustomerField field, long done) {
        dsl.transaction(tx -> {
            tx.dsl().update(TIER_CHANGE).set(TIER_CHANGE.STATE, "done")
                    .set(TIER_CHANGE.FINISHED_AT, OffsetDateTime.now())
                    .where(TIER_CHANGE.ID.eq(changeId)).execute();
            audit.append(tx.dsl(), AuditEntry.of("tiers.reprotect").object("field", field.column()).rows(done)
                    .detail(Map.of("change", changeId)));
        });
    }

    private TierChangeRecord unfinished(CustomerField field) {
        return dsl.selectFrom(TIER_CHANGE)
                .where(TIER_CHANGE.FIELD.eq(field.column()).and(TIER_CHANGE.STATE.eq("running")))
                .orderBy(TIER_CHANGE.ID.desc()).limit(1).fetchOne();
    }

    /**
     * A reclassification: when it was asked for, of which field from which tier to which, how far it got (running,
     * done), who asked and why, and when it finished (null: not yet).
     */
    public record Change(Long id, java.time.OffsetDateTime requestedAt, String field, Short fromTier, Short toTier,
                         String state, Long valuesDone, Long valuesTotal, String actor, String reason,
                         java.time.OffsetDateTime finishedAt) { }

    /** Every reclassification, newest first, for `tiers history`. */
    public static java.util.List<Change> history(DSLContext dsl, CustomerField field) {
        return dsl.selectFrom(TIER_CHANGE)
                .where(field == null ? org.jooq.impl.DSL.noCondition() : TIER_CHANGE.FIELD.eq(field.column()))
                .orderBy(TIER_CHANGE.ID.desc())
                .fetch(c -> new Change(c.getId(), c.getRequestedAt(), c.getField(), c.getFromTier(), c.getToTier(),
                        c.getState(), c.getValuesDone(), c.getValuesTotal(), c.getActor(), c.getReason(),
                        c.getFinishedAt()));
    }
}
