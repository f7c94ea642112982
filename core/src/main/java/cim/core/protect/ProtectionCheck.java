package cim.core.protect;

import cim.core.audit.AuditKey;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.TIER_CHANGE;

/**
 * {@code cim tiers verify}: whether protection is what the registry says. Every registry row must carry cim's
 * signature, and every stored value of a tier-1 field must be sealed (a clear one was written while the registry
 * said otherwise, or by hand), as must every quarantined raw row. A field still being moved into tier 1 (a running
 * 'tiers set') is reported as unfinished, not as a leak.
 */
public final class ProtectionCheck {
    private ProtectionCheck() {
    }

    /**
     * What the check found.
     *
     * @param changedEntries registry rows changed outside cim
     * @param clearValues    per tier-1 field, how many stored values are in clear (only fields that have some)
     * @param unfinished     tier-1 fields whose move into tier 1 is still running
     * @param clearQuarantine quarantined raw rows that are not sealed
     */
    public record Result(List<CustomerField> changedEntries, Map<CustomerField, Long> clearValues,
                         List<CustomerField> unfinished, long clearQuarantine) {
        public boolean ok() {
            return changedEntries.isEmpty() && clearValues.isEmpty() && clearQuarantine == 0;
        }
    }

    public static Result run(DSLContext dsl, AuditKey key) {
        List<CustomerField> changed = TierRegistry.changed(dsl, key);
        TierRegistry registry = TierRegistry.load(dsl);
        List<CustomerField> checked = new ArrayList<>();
        List<CustomerField> unfinished = new ArrayList<>();
        for (FieldPolicy policy : registry.all()) {
            if (policy.tier().encrypted()) {
                boolean running = dsl.fetchExists(TIER_CHANGE, TIER_CHANGE.FIELD.eq(policy.field().column())
                        .and(TIER_CHANGE.STATE.eq("running")));
                (running ? unfinished : checked).add(policy.field());
            }
        }
        Map<CustomerField, Long> clear = new LinkedHashMap<>();
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            if (checked.isEmpty()) {
                break;
            }
            // one pass over each table for every field
            List<Field<?>> counts = new ArrayList<>();
            for (CustomerField field : checked) {
                Field<String> column = walk.column(field);
                counts.add(DSL.sum(DSL.when(FieldProtector.clear(column), 1).otherwise(0)));
            }
            Record sums = dsl.select(counts).from(walk.table()).fetchSingle();
            for (int i = 0; i < checked.size(); i++) {
                Number n = (Number) sums.get(i);
                if (n != null && n.longValue() > 0) {
                    clear.merge(checked.get(i), n.longValue(), Long::sum);
                }
            }
        }
        long clearQuarantine = dsl.fetchCount(QUARANTINE,
                FieldProtector.clear(QUARANTINE.RAW_ROW));
        return new Result(changed, clear, unfinished, clearQuarantine);
    }
}
