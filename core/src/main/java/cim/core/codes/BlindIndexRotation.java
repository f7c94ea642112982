package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.BulkInsert;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerCorrectionRecord;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.db.schema.tables.records.KeyRotationRecord;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeyBinding;
import cim.core.protect.Keyring;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_CORRECTION;
import static cim.core.db.schema.Tables.KEY_REGISTRY;
import static cim.core.db.schema.Tables.KEY_ROTATION;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_CHANGE;

/**
 * Rotates the blind-index key: a keyset that leaked, or an old copy of one, then finds nothing by value, since every
 * blind index and match key is computed again, from the values, under a new key. The new key is written to the
 * keyset first (the old one kept), the database records it, and the source records and golden records are re-keyed
 * in batches, each one transaction with its progress, so a killed run is finished by running it again. A record's
 * match keys are those it had, each replaced by its counterpart under the new key (the old key gives the mapping),
 * and so are the crowded keys. Until the rotation ends every other command that uses the keyset is refused (exit 75):
 * lookups and matching over indexes under two keys would miss. At the end the old key is retired in the database and
 * dropped from the keyset file.
 */
public final class BlindIndexRotation {
    /** The purpose of its rows in key_rotation. */
    public static final String PURPOSE = "blind_index";
    private static final List<CustomerField> SEARCHABLE = Arrays.stream(CustomerField.values())
            .filter(CustomerField::searchable).toList();

    private final Database db;
    private final AuditTrail audit;

    public BlindIndexRotation(Database db, AuditTrail audit) {
        this.db = db;
        // its own events are appended while the database's blind-index key is not the one the session's keyset had
        this.audit = audit.unguarded();
    }

    /**
     * What a rotation did: the new key, the one it replaced, the records, customers and match keys this run re-keyed,
     * and the values that did not open (their indexes are left empty).
     */
    public record Outcome(long newKeyId, long oldKeyId, long records, long customers, long matchKeys,
                          long unreadable, boolean resumed) { }

    /** What a walk has re-keyed so far: source records, customers, match keys, and values that did not open. */
    private static final class Walked {
        long records;
        long customers;
        long matchKeys;
        long unreadable;
    }

    /**
     * @param current    the keyset in use (already bound to the database)
     * @param saveKeyset writes a keyset to its file: the one with the new key before the database is told of it, and
     *                   at the end the same without the old key
     */
    public Outcome rotate(Keyring current, Consumer<Keyring> saveKeyset, int batchSize, LongConsumer progress) {
        DSLContext dsl = db.dsl();
        Profiles.require(dsl, "keys rotate --blind-index", Profiles.Profile.ADMIN);
        // codes assign and stewarding write match keys: none may run meanwhile
        try (JobLock lock = JobLock.acquire(db, CodeAssigner.LOCK, "cim keys rotate --blind-index",
                CodeAssigner.HOLDERS, false)) {
            if (dsl.fetchExists(TIER_CHANGE, TIER_CHANGE.STATE.eq("running"))
                    || dsl.fetchExists(KEY_ROTATION, KEY_ROTATION.STATE.eq("running")
                    .and(KEY_ROTATION.PURPOSE.ne(PURPOSE)))) {
                throw new CimException(Failure.LOCKED, "a change of tier or an encryption-key rotation is unfinished",
                        "finish it first (run the same 'cim tiers set' or 'cim keys rotate' again), then this command");
            }
            KeyRotationRecord job = dsl.selectFrom(KEY_ROTATION).where(KEY_ROTATION.STATE.eq("running")
                    .and(KEY_ROTATION.PURPOSE.eq(PURPOSE))).orderBy(KEY_ROTATION.ID.desc()).limit(1).fetchOne();
            boolean resumed = job != null;
            Keyring keyring = current;
            long oldKey;
            if (resumed) {
                if (current.blindIndexKey() != job.getNewKeyId()) {
                    throw new CimException(Failure.NOT_PERMITTED, "an unfinished blind-index rotation is re-keying "
                            + "to key " + job.getNewKeyId() + ", but this keyset's blind-index key is "
                            + current.blindIndexKey(), "run 'cim keys rotate --blind-index' again with the keyset "
                            + "that rotation wrote");
                }
                oldKey = dsl.select(KEY_REGISTRY.KEY_ID).from(KEY_REGISTRY).where(KEY_REGISTRY.PURPOSE
                        .eq(PURPOSE).and(KEY_REGISTRY.STATUS.eq("enabled"))).orderBy(KEY_REGISTRY.CREATED_AT.desc())
                        .limit(1).fetchSingle(KEY_REGISTRY.KEY_ID);
            } else {
                oldKey = KeyBinding.blindIndexKey(dsl);
                // a run stopped after writing the keyset, before the database heard of the new key, left it there
                if (current.blindIndexKey() == oldKey) {
                    keyring = current.withNewBlindIndexKey();
                    saveKeyset.accept(keyring);
                }
                job = start(keyring, oldKey);
            }
            if (!keyring.blindIndexKeys().contains(oldKey)) {
                throw new CimException(Failure.NOT_PERMITTED, "this keyset no longer has the blind-index key " + oldKey
                        + " that the unfinished rotation re-keys from", "run it with the keyset that rotation wrote");
            }
            Rekey rekey = new Rekey(new FieldProtector(keyring.withBlindIndexPrimary(oldKey)),
                    new FieldProtector(keyring));
            Walked counts = walk(job, rekey, batchSize, progress);
            finish(job.getId(), keyring.blindIndexKey(), oldKey, counts);
            saveKeyset.accept(keyring.withOnlyPrimaryBlindIndexKey());
            return new Outcome(keyring.blindIndexKey(), oldKey, counts.records, counts.customers, counts.matchKeys, counts.unreadable, resumed);
        }
    }

    private KeyRotationRecord start(Keyring keyring, long oldKey) {
        return db.dsl().transactionResult(tx -> {
            DSLContext t = tx.dsl();
            long newKey = keyring.blindIndexKey();
            KeyBinding.blindIndexRotationBegins(t, oldKey, newKey);
            KeyRotationRecord job = t.insertInto(KEY_ROTATION).set(KEY_ROTATION.NEW_KEY_ID, newKey)
                    .set(KEY_ROTATION.STATE, "running").set(KEY_ROTATION.PURPOSE, PURPOSE)
                    .set(KEY_ROTATION.ACTOR, audit.context().actor()).returning().fetchSingle();
            audit.append(t, AuditEntry.of("keys.rotate").object("blind_index_key", String.valueOf(newKey))
                    .detail(Map.of("rotation", job.getId(), "purpose", PURPOSE, "replaces", oldKey)));
            return job;
        });
    }

    /**
     * Re-keys the source records, then the golden records, from where the job stopped; returns what this run did:
     * {records, customers, match keys, unreadable values}.
     */
    private Walked walk(KeyRotationRecord job, Rekey rekey, int batchSize, LongConsumer progress) {
        Walked counts = new Walked();
        List<String> phases = List.of(SOURCE_RECORD.getName(), CUSTOMER.getName(), CUSTOMER_CORRECTION.getName());
        int phase = job.getResumeTable() == null ? 0 : Math.max(0, phases.indexOf(job.getResumeTable()));
        long after = job.getResumeAfter() == null ? 0 : job.getResumeAfter();
        if (phase == 0) {
            batches(job, SOURCE_RECORD, SOURCE_RECORD.ID, after, batchSize, counts, progress,
                    (tx, rows) -> rekey.records(tx, rows.into(SOURCE_RECORD), counts));
            after = 0;
        }
        if (phase <= 1) {
            batches(job, CUSTOMER, CUSTOMER.ROW_ID, after, batchSize, counts, progress,
                    (tx, rows) -> rekey.customers(tx, rows.into(CUSTOMER), counts));
            after = 0;
        }
        // a steward's corrections, sealed to their customers, with the golden records' columns
        batches(job, CUSTOMER_CORRECTION, CUSTOMER_CORRECTION.ROW_ID, after, batchSize, counts, progress,
                (tx, rows) -> rekey.corrections(tx, rows.into(CUSTOMER_CORRECTION), counts));
        return counts;
    }

    private interface Batch {
        void rekey(DSLContext tx, org.jooq.Result<Record> rows);
    }

    private long batches(KeyRotationRecord job, Table<?> table, Field<Long> id, long from, int batchSize,
                         Walked counts, LongConsumer progress, Batch batch) {
        long after = from;
        while (true) {
            long start = after;
            long last = db.dsl().transactionResult(tx -> {
                DSLContext t = tx.dsl();
                org.jooq.Result<Record> rows = t.select().from(table).where(id.gt(start)).orderBy(id)
                        .limit(batchSize).forUpdate().fetch();
                if (rows.isEmpty()) {
                    return start;
                }
                batch.rekey(t, rows);
                long end = rows.get(rows.size() - 1).get(id);
                t.update(KEY_ROTATION).set(KEY_ROTATION.RESUME_TABLE, table.getName())
                        .set(KEY_ROTATION.RESUME_AFTER, end)
                        .set(KEY_ROTATION.VALUES_DONE, job.getValuesDone() + counts.records + counts.customers)
                        .where(KEY_ROTATION.ID.eq(job.getId())).execute();
                return end;
            });
            if (last == start) {
                return after;
            }
            after = last;
            progress.accept(job.getValuesDone() + counts.records + counts.customers);
        }
    }

    /** The old key's protector (for the mapping of match keys) and the new one's. */
    private record Rekey(FieldProtector old, FieldProtector next) {
        /** One record's blind indexes under the new key, its match keys old to new, and values that did not open. */
        private record Rekeyed(long id, Object[] indexes, Map<Long, Long> keys, int unreadable) { }

        void records(DSLContext tx, List<SourceRecordRecord> rows, Walked counts) {
            List<Rekeyed> rekeyed = rows.parallelStream().map(this::record).toList();
            List<Object[]> updates = new ArrayList<>();
            Map<Long, Long> mapping = new HashMap<>();
            Map<Long, Map<Long, Long>> byRecord = new HashMap<>();
            for (Rekeyed r : rekeyed) {
                updates.add(r.indexes());
                mapping.putAll(r.keys());
                byRecord.put(r.id(), r.keys());
                counts.unreadable += r.unreadable();
            }
            BulkInsert.update(tx, SOURCE_RECORD, indexColumns(SOURCE_RECORD), SOURCE_RECORD.ID, updates);
            counts.matchKeys += matchKeys(tx, byRecord);
            crowdedKeys(tx, mapping);
            counts.records += rows.size();
        }

        private Rekeyed record(SourceRecordRecord row) {
            String boundTo = FieldProtector.row(row.getSourceSystem(), row.getSourceKey());
            int[] unreadable = {0};
            Object[] indexes = indexes(field -> boundTo, row, unreadable);
            indexes[indexes.length - 1] = row.getId();
            Map<Long, Long> keys = new HashMap<>();
            try {
                MatchRecord opened = MatchRecord.of(row, next);
                List<MatchKeys.Key> before = MatchKeys.of(opened, old);
                List<MatchKeys.Key> after = MatchKeys.of(opened, next);
                for (int i = 0; i < before.size(); i++) {
                    keys.put(before.get(i).hash(), after.get(i).hash());
                }
            } catch (FieldProtector.Unreadable e) {
                // counted with its indexes; its match keys go (they can no longer be computed)
            }
            return new Rekeyed(row.getId(), indexes, keys, unreadable[0]);
        }

        void customers(DSLContext tx, List<CustomerRecord> rows, Walked counts) {
            List<Object[]> updates = new ArrayList<>();
            for (CustomerRecord row : rows) {
                int[] unreadable = {0};
                Object[] indexes = indexes(FieldProtector.goldenRows(row.getProvenance(), row.getCode()), row,
                        unreadable);
                indexes[indexes.length - 1] = row.getRowId();
                updates.add(indexes);
                counts.unreadable += unreadable[0];
            }
            BulkInsert.update(tx, CUSTOMER, indexColumns(CUSTOMER), CUSTOMER.ROW_ID, updates);
            counts.customers += rows.size();
        }

        void corrections(DSLContext tx, List<CustomerCorrectionRecord> rows, Walked counts) {
            List<Object[]> updates = new ArrayList<>();
            for (CustomerCorrectionRecord row : rows) {
                int[] unreadable = {0};
                String boundTo = FieldProtector.customerRow(row.getCode());
                Object[] indexes = indexes(field -> boundTo, row, unreadable);
                indexes[indexes.length - 1] = row.getRowId();
                updates.add(indexes);
                counts.unreadable += unreadable[0];
            }
            BulkInsert.update(tx, CUSTOMER_CORRECTION, indexColumns(CUSTOMER_CORRECTION), CUSTOMER_CORRECTION.ROW_ID,
                    updates);
        }

        /** The blind indexes of a row's searchable fields under the new key, with a free place for its id after. */
        private Object[] indexes(Function<CustomerField, String> boundTo, Record row, int[] unreadable) {
            Object[] indexes = new Object[SEARCHABLE.size() + 1];
            for (int i = 0; i < SEARCHABLE.size(); i++) {
                CustomerField field = SEARCHABLE.get(i);
                String stored = row.get(field.column(), String.class);
                if (stored == null) {
                    continue;
                }
                try {
                    indexes[i] = next.blindIndex(field, next.open(field, boundTo.apply(field), stored));
                } catch (FieldProtector.Unreadable e) {
                    // an index under the old key would find nothing once it is dropped: none is kept
                    unreadable[0]++;
                }
            }
            return indexes;
        }

        /** Replaces each stored match key of these records by its counterpart; returns how many were replaced. */
        private static long matchKeys(DSLContext tx, Map<Long, Map<Long, Long>> byRecord) {
            List<Object[]> kept = new ArrayList<>();
            for (Record r : tx.select(MATCH_KEY.RECORD_ID, MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE)
                    .from(MATCH_KEY).where(MATCH_KEY.RECORD_ID.in(byRecord.keySet())).fetch()) {
                Long replaced = byRecord.getOrDefault(r.get(MATCH_KEY.RECORD_ID), Map.of())
                        .get(r.get(MATCH_KEY.MATCH_KEY_));
                if (replaced != null) {
                    kept.add(new Object[] {replaced, r.get(MATCH_KEY.CUSTOMER_CODE), r.get(MATCH_KEY.RECORD_ID)});
                }
            }
            tx.deleteFrom(MATCH_KEY).where(MATCH_KEY.RECORD_ID.in(byRecord.keySet())).execute();
            BulkInsert.insert(tx, MATCH_KEY, List.of(MATCH_KEY.MATCH_KEY_, MATCH_KEY.CUSTOMER_CODE,
                    MATCH_KEY.RECORD_ID), kept);
            return kept.size();
        }

        /** Crowded keys that these records' old keys name become their counterparts. */
        private static void crowdedKeys(DSLContext tx, Map<Long, Long> mapping) {
            List<Long> crowded = tx.select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY)
                    .where(CROWDED_KEY.MATCH_KEY.in(mapping.keySet())).fetch(CROWDED_KEY.MATCH_KEY);
            List<Object[]> updates = crowded.stream().map(k -> new Object[] {mapping.get(k), k}).toList();
            BulkInsert.update(tx, CROWDED_KEY, List.of(CROWDED_KEY.MATCH_KEY), CROWDED_KEY.MATCH_KEY, updates);
        }

        private static List<Field<String>> indexColumns(Table<?> table) {
            return SEARCHABLE.stream().map(f -> table.field(f.blindIndexColumn().orElseThrow(), String.class))
                    .toList();
        }
    }

    private void finish(long jobId, long newKey, long oldKey, Walked counts) {
        db.dsl().transaction(tx -> {
            DSLContext t = tx.dsl();
            t.update(KEY_ROTATION).set(KEY_ROTATION.STATE, "done").set(KEY_ROTATION.FINISHED_AT, OffsetDateTime.now())
                    .where(KEY_ROTATION.ID.eq(jobId)).execute();
            KeyBinding.blindIndexRotationEnds(t);
            Map<String, Object> detail = new HashMap<>(Map.of("rotation", jobId, "purpose", PURPOSE,
                    "retired", oldKey, "customers", counts.customers, "match_keys", counts.matchKeys));
            if (counts.unreadable > 0) {
                detail.put("unreadable", counts.unreadable);
            }
            audit.append(t, AuditEntry.of("keys.rotate.done").object("blind_index_key", String.valueOf(newKey))
                    .rows(counts.records).detail(detail));
        });
    }
}
