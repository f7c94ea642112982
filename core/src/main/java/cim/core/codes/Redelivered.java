package cim.core.codes;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.FieldProtector;
import org.jooq.Condition;
import org.jooq.DSLContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/** What {@code codes assign} does with linked records delivered again with new values. */
final class Redelivered {
    private Redelivered() {
    }

    /**
     * The current records of these batches that are linked records re-delivered (a version after the first whose
     * link names an earlier one), in id order.
     */
    static List<Long> among(DSLContext dsl, Condition inBatches) {
        return dsl.select(SOURCE_RECORD.ID).from(SOURCE_RECORD).join(CUSTOMER_LINK).on(Links.currentOfRecord())
                // a re-delivered record is a version after the first, so the first versions need not be joined
                .where(SOURCE_RECORD.IS_CURRENT.isTrue().and(SOURCE_RECORD.VERSION.gt(1)).and(inBatches)
                        .and(CUSTOMER_LINK.RECORD_ID.ne(SOURCE_RECORD.ID)))
                .orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.ID);
    }

    /**
     * Linked records re-delivered with new values (a new version): each keeps its code (codes never change);
     * its blocking keys are replaced by the new version's, its link notes the version, and its customer's golden
     * record is rebuilt.
     */
    static void refresh(DSLContext tx, FieldProtector protector, AuditTrail audit, List<Long> ids,
                        CodeAssigner.Options options, AtomicReference<Counts> totals) {
        Customers customers = new Customers(tx, protector, options.trust(), audit.context().actor());
        Set<String> codes = new LinkedHashSet<>();
        List<Object[]> keys = new ArrayList<>();
        List<SourceRecordRecord> redelivered = new ArrayList<>();
        long refreshed = 0;
        for (var row : tx.select(SOURCE_RECORD.fields()).select(CUSTOMER_LINK.ID, CUSTOMER_LINK.CUSTOMER_CODE,
                        CUSTOMER_LINK.RECORD_ID).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                .on(Links.currentOfRecord())
                .where(SOURCE_RECORD.ID.in(ids).and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetch()) {
            MatchRecord record = MatchRecord.of(row.into(SOURCE_RECORD), protector);
            redelivered.add(row.into(SOURCE_RECORD));
            refreshed++;
            String code = row.get(CUSTOMER_LINK.CUSTOMER_CODE);
            tx.deleteFrom(MATCH_KEY).where(MATCH_KEY.RECORD_ID.eq(row.get(CUSTOMER_LINK.RECORD_ID))).execute();
            for (MatchKeys.Key key : MatchKeys.of(record, protector)) {
                keys.add(new Object[] {key.hash(), code, record.id()});
            }
            tx.update(CUSTOMER_LINK).set(CUSTOMER_LINK.RECORD_ID, record.id())
                    .where(CUSTOMER_LINK.ID.eq(row.get(CUSTOMER_LINK.ID))).execute();
            codes.add(code);
        }
        customers.insertKeys(keys);
        if (!options.dryRun()) {
            Relations.replace(tx, redelivered, protector);
        }
        codes.forEach(customers::rebuild);
        totals.accumulateAndGet(Counts.refreshed(refreshed), Counts::plus);
        if (!options.dryRun()) {
            audit.append(tx, AuditEntry.of("codes.refresh").rows(refreshed).subjects(List.copyOf(codes).subList(0,
                    Math.min(codes.size(), 100))).detail(Map.of("customers", codes.size())));
        }
    }
}
