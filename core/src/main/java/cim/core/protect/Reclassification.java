package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.schema.tables.records.TierChangeRecord;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.TIER_CHANGE;
import static cim.core.db.schema.Tables.TIER_REGISTRY;

/**
 * Moves a field to another tier (Art. 10) and re-protects its stored values: encrypted when it enters tier 1,
 * decrypted when it leaves. The registry changes first, so new writes already use the new protection; existing
 * values follow in batches, each committed with its progress, so a killed run is finished by running it again.
 * Stored values say whether they are sealed, so readers are right during the move, and no value is lost.
 */
public final class Reclassification {
    public static final int DEFAULT_BATCH = 10_000;

    private final DSLContext dsl;
    private final AuditTrail audit;

    public Reclassification(DSLContext dsl, AuditTrail audit) {
        this.dsl = dsl;
        this.audit = audit;
    }

    /** What a change would do: whether values change protection, and how many. */
    public record Impact(CustomerField field, Tier from, Tier to, boolean reprotect, long values) { }

    /** What a change did. */
    public record Outcome(CustomerField field, Tier from, Tier to, long values, boolean resumed, long changeId) { }

    public Impact plan(CustomerField field, Tier to) {
        Tier from = TierRegistry.load(dsl).tier(field);
        TierChangeRecord unfinished = unfinished(field);
        if (unfinished != null) {
            from = Tier.of(unfinished.getFromTier());
        }
        boolean reprotect = from.encrypted() != to.encrypted();
        return new Impact(field, from, to, reprotect, reprotect ? countToChange(field, to) : 0);
    }

    private long countToChange(CustomerField field, Tier to) {
        long count = 0;
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            Field<String> column = walk.column(field);
            count += dsl.fetchCount(walk.table(), to.encrypted()
                    ? column.isNotNull().and(column.notLike(FieldProtector.SEALED_PREFIX + "%"))
                    : column.like(FieldProtector.SEALED_PREFIX + "%"));
        }
        return count;
    }

    /**
     * Applies the change, or finishes an unfinished one to the same tier.
     *
     * @param progress told the running count of values re-protected
     */
    public Outcome apply(CustomerField field, Tier to, String reason, FieldProtector protector, int batchSize,
                         LongConsumer progress) {
        if (reason == null || reason.isBlank()) {
            throw new CimException(Failure.USAGE, "a reclassification needs --reason",
                    "say why (e.g. the regulation or decision); it is kept in the tier history and audit trail");
        }
        TierChangeRecord change = unfinished(field);
        boolean resumed = change != null;
        if (resumed && change.getToTier() != to.level()) {
            throw new CimException(Failure.USAGE, "moving " + field + " to tier " + change.getToTier()
                    + " is unfinished", "finish it first: cim tiers set " + field + " --tier " + change.getToTier()
                    + " --reason \"…\"");
        }
        if (!resumed) {
            change = start(field, to, reason);
            if (change == null) {
                return new Outcome(field, to, to, 0, false, 0);
            }
        }
        long done = change.getValuesDone();
        if ("running".equals(change.getState())) {
            done += reprotect(change, field, to, protector, batchSize, progress);
            finish(change.getId(), field, done);
        }
        return new Outcome(field, Tier.of(change.getFromTier()), to, done, resumed, change.getId());
    }

    private TierChangeRecord start(CustomerField field, Tier to, String reason) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            short current = t.select(TIER_REGISTRY.TIER).from(TIER_REGISTRY)
                    .where(TIER_REGISTRY.FIELD.eq(field.column())).forUpdate().fetchSingle().value1();
            Tier from = Tier.of(current);
            if (from == to) {
                return null;
            }
            boolean reprotect = from.encrypted() != to.encrypted();
            long values = reprotect ? new Reclassification(t, audit).countToChange(field, to) : 0;
            t.update(TIER_REGISTRY).set(TIER_REGISTRY.TIER, (short) to.level())
                    .set(TIER_REGISTRY.VERSION, TIER_REGISTRY.VERSION.plus(1))
                    .set(TIER_REGISTRY.CHANGED_AT, OffsetDateTime.now())
                    .where(TIER_REGISTRY.FIELD.eq(field.column())).execute();
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
            audit.append(t, AuditEntry.of("tiers.set").object("field", field.column()).rows(values).reason(reason)
                    .detail(Map.of("from", from.level(), "to", to.level(), "change", change.getId(),
                            "reprotect", reprotect)));
            return change;
        });
    }

    private long reprotect(TierChangeRecord change, CustomerField field, Tier to, FieldProtector protector,
                           int batchSize, LongConsumer progress) {
        long[] done = {change.getValuesDone()};
        long changed = 0;
        boolean reached = change.getResumeTable() == null;
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            String name = walk.table().getName();
            if (!reached && !name.equals(change.getResumeTable())) {
                continue;
            }
            long after = !reached && change.getResumeAfter() != null ? change.getResumeAfter() : 0;
            reached = true;
            changed += ColumnRewriter.rewrite(dsl, walk.table(), walk.id(), java.util.List.of(walk.column(field)),
                    (column, stored) -> to.encrypted() ? protector.seal(field, stored) : protector.open(field, stored),
                    after, batchSize, (tx, lastId, n) -> {
                        done[0] += n;
                        tx.update(TIER_CHANGE).set(TIER_CHANGE.RESUME_TABLE, name)
                                .set(TIER_CHANGE.RESUME_AFTER, lastId)
                                .set(TIER_CHANGE.VALUES_DONE, done[0])
                                .where(TIER_CHANGE.ID.eq(change.getId())).execute();
                        progress.accept(done[0]);
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

    /** Every reclassification, newest first, for `tiers history`. */
    public static java.util.List<TierChangeRecord> history(DSLContext dsl, CustomerField field) {
        return dsl.selectFrom(TIER_CHANGE)
                .where(field == null ? org.jooq.impl.DSL.noCondition() : TIER_CHANGE.FIELD.eq(field.column()))
                .orderBy(TIER_CHANGE.ID.desc()).fetch();
    }
}
