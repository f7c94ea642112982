package cim.core.codes;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.BulkInsert;
import org.jooq.DSLContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.CROWDED_KEY;

/**
 * What one chunk of {@code codes assign} writes, built on the matching thread so that the writing thread only sends
 * it, in the chunk's transaction: crowded keys, customers, links, merges, golden-record updates, blocking keys,
 * review items and the audit event.
 */
final class ChunkRows {
    /** A merge the matcher made: the survivor's code and the customer it absorbed. */
    record Merge(String survivor, Cluster.Absorbed absorbed) { }

    /** What the chunk did: records examined, new codes, merges, and its first and last record. */
    /** What the chunk's matching decided: records examined, new codes, merges, and its first and last record. */
    record Tally(long examined, long newCodes, long merges, long firstRecord, long lastRecord) { }

    final List<Object[]> crowded = new ArrayList<>();
    final List<Object[]> customers = new ArrayList<>();
    final List<Object[]> links = new ArrayList<>();
    final List<Merge> merges = new ArrayList<>();
    final List<Object[]> updates = new ArrayList<>();
    final List<Object[]> keys = new ArrayList<>();
    final List<Object[]> reviews = new ArrayList<>();
    private Tally tally;

    void counted(Tally tally) {
        this.tally = tally;
    }

    /**
     * Writes it all through {@code writer}; its counts. The audit event names the version of the policy whose rules
     * the chunk was matched under.
     */
    Counts write(Customers writer, AuditTrail audit, boolean dryRun, int policyVersion) {
        DSLContext tx = writer.tx();
        BulkInsert.insert(tx, CROWDED_KEY, List.of(CROWDED_KEY.MATCH_KEY), crowded);
        writer.insertCustomers(customers);
        writer.insertLinks(links);
        for (Merge merge : merges) {
            Cluster.Absorbed absorbed = merge.absorbed();
            writer.absorb(merge.survivor(), absorbed.code(), absorbed.records(), "merge",
                    "matcher: a record ties the two (" + absorbed.why().rule() + ")", absorbed.why().explanation());
            audit.append(tx, AuditEntry.of("codes.merge").object("customer", merge.survivor())
                    .subjects(List.of(merge.survivor(), absorbed.code())).reason("automatic: "
                            + absorbed.why().rule()).detail(Map.of("absorbed", absorbed.code(),
                            "survivor", merge.survivor())));
        }
        writer.updateCustomers(updates);
        writer.insertKeys(keys);
        writer.insertReviewItems(reviews);

        long examined = tally.examined();
        Counts result = new Counts(examined, examined - tally.newCodes(), tally.newCodes(), tally.merges(),
                reviews.size(), 0, 0);
        if (!dryRun) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("linked", result.linked());
            detail.put("new_codes", result.newCodes());
            detail.put("merged", result.merged());
            detail.put("review", result.review());
            detail.put("first_record", tally.firstRecord());
            detail.put("last_record", tally.lastRecord());
            detail.put("policy_version", policyVersion);
            audit.append(tx, AuditEntry.of("codes.assign").rows(examined).detail(detail));
        }
        return result;
    }
}
