package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.KeyRotationRecord;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.KEY_REGISTRY;
import static cim.core.db.schema.Tables.KEY_ROTATION;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_CHANGE;

/**
 * Rotates the encryption key: a new primary key is added to the keyset (written first, so it is never lost),
 * the database records it, and every sealed value is re-encrypted under it in resumable batches. Once no value is
 * left under an old key, the old keys are disabled in the keyset (their ids stay, so a stale copy is still recognised)
 * and marked retired in the database.
 */
public final class KeyRotation {
    /** The purpose of its rows in key_rotation (a blind-index rotation has its own). */
    private static final String ENCRYPTION = "encryption";
    private final DSLContext dsl;
    private final AuditTrail audit;

    public KeyRotation(DSLContext dsl, AuditTrail audit) {
        this.dsl = dsl;
        // its own events are appended while the database's primary key is not the one the session's keyset had
        this.audit = audit.unguarded();
    }

    /**
     * What a rotation did: the new key, the values moved to it, the old keys it disabled, and the values that did
     * not open (altered; left as they were, so they open nowhere once their key is disabled), the first few named.
     */
    public record Outcome(long newKeyId, long values, boolean resumed, List<Long> disabled, long unreadable,
                          List<String> unreadableAt) { }

    /** How many values that do not open a rotation names. */
    private static final int NAMED_UNREADABLE = 10;

    /**
     * @param current   the keyset in use (already bound to the database)
     * @param saveKeyset writes a keyset to its file: the rotated one before the database is told of the new key, and
     *                   once no value is left under an old key, the same with the old keys disabled
     */
    public Outcome rotate(Keyring current, Consumer<Keyring> saveKeyset, int batchSize, LongConsumer progress) {
        Profiles.require(dsl, "keys rotate", Profiles.Profile.ADMIN);
        if (dsl.fetchExists(KEY_ROTATION, KEY_ROTATION.STATE.eq("running").and(KEY_ROTATION.PURPOSE.ne(ENCRYPTION)))) {
            throw new CimException(Failure.LOCKED, "a blind-index rotation is unfinished",
                    "finish it first: run 'cim keys rotate --blind-index' again, then 'cim keys rotate'");
        }
        KeyRotationRecord job = dsl.selectFrom(KEY_ROTATION).where(KEY_ROTATION.STATE.eq("running")
                .and(KEY_ROTATION.PURPOSE.eq(ENCRYPTION))).orderBy(KEY_ROTATION.ID.desc()).limit(1).fetchOne();
        boolean resumed = job != null;
        if (dsl.fetchExists(TIER_CHANGE, TIER_CHANGE.STATE.eq("running"))) {
            throw new CimException(Failure.LOCKED, "a change of tier is still re-protecting values, under the keys "
                    + "as they are", "finish it first: run the same 'cim tiers set' again, then 'cim keys rotate'");
        }
        Keyring keyring = current;
        if (resumed) {
            if (current.primaryEncryptionKey() != job.getNewKeyId()) {
                throw new CimException(Failure.NOT_PERMITTED, "an unfinished rotation is moving values to key "
                        + job.getNewKeyId() + ", but this keyset's primary key is " + current.primaryEncryptionKey(),
                        "run 'cim keys rotate' again with the keyset that rotation wrote");
            }
        } else {
            keyring = current.rotated();
            saveKeyset.accept(keyring);
            job = start(keyring);
        }
        FieldProtector protector = new FieldProtector(keyring);
        Unopened unopened = new Unopened();
        long done = job.getValuesDone() + reencrypt(job, protector, batchSize, progress, unopened);
        long left = sealedUnderOtherKeys(dsl, keyring.primaryEncryptionKey());
        if (resumed && left > unopened.count.get()) {
            // a killed run passed values as unreadable before the place this one resumed from: one more pass over
            // everything moves what opens and counts what does not
            unopened = new Unopened();
            dsl.update(KEY_ROTATION).setNull(KEY_ROTATION.RESUME_TABLE).setNull(KEY_ROTATION.RESUME_AFTER)
                    .where(KEY_ROTATION.ID.eq(job.getId())).execute();
            job.setResumeTable(null);
            job.setResumeAfter(null);
            job.setValuesDone(done);
            done += reencrypt(job, protector, batchSize, progress, unopened);
            left = sealedUnderOtherKeys(dsl, keyring.primaryEncryptionKey());
        }
        if (left > unopened.count.get()) {
            // a run that bound the old keyset before this rotation began went on writing under the old key
            dsl.update(KEY_ROTATION).setNull(KEY_ROTATION.RESUME_TABLE).setNull(KEY_ROTATION.RESUME_AFTER)
                    .where(KEY_ROTATION.ID.eq(job.getId())).execute();
            throw new CimException(Failure.LOCKED, left + " values were sealed under an old key while the rotation "
                    + "ran (by a command that started before it); the old keys stay enabled",
                    "when the other cim runs have finished, run 'cim keys rotate' again to move them and finish");
        }
        long primary = keyring.primaryEncryptionKey();
        List<Long> disabled = keyring.enabledEncryptionKeys().stream().filter(id -> id != primary).toList();
        // the database first: a run stopped between the two leaves the old keys enabled in the file (safe, and the
        // next rotation disables them), never a file that cannot open what a rerun would still have to move
        finish(job.getId(), primary, done, disabled);
        saveKeyset.accept(keyring.withRetiredDisabled());
        return new Outcome(primary, done, resumed, disabled, unopened.count.get(), List.copyOf(unopened.at));
    }

    /**
     * How many values, in every protected column and the quarantine, are sealed under a key other than
     * {@code primary}, or in the format before rows were bound: one pass over each table, on text alone. A sealed
     * value is cim2: and the Base64 of Tink's
     * ciphertext, which begins with the byte 1 and the key's four-byte id; those five bytes fill the first six Base64
     * characters and part of the seventh, whose other two bits belong to the nonce, so four prefixes cover the key.
     */
    static long sealedUnderOtherKeys(DSLContext dsl, long primary) {
        List<String> prefixes = new ArrayList<>();
        for (int nonceBits = 0; nonceBits < 4; nonceBits++) {
            byte[] head = ByteBuffer.allocate(6).put((byte) 1).putInt((int) primary).put((byte) (nonceBits << 6))
                    .array();
            prefixes.add(FieldProtector.SEALED_PREFIX + Base64.getEncoder().encodeToString(head).substring(0, 7));
        }
        int length = prefixes.get(0).length();
        // a value in the format before rows were bound is left over whatever its key
        return count(dsl, column -> FieldProtector.sealed(column)
                .and(DSL.substring(column, 1, length).notIn(prefixes)));
    }

    /** How many values, over every column that can hold a sealed value, meet a condition: one pass per table. */
    private static long count(DSLContext dsl, java.util.function.Function<Field<String>, org.jooq.Condition> which) {
        long total = 0;
        for (Walk walk : walks()) {
            List<Field<?>> counts = new ArrayList<>();
            for (Field<String> column : walk.columns) {
                counts.add(DSL.sum(DSL.when(which.apply(column), 1).otherwise(0)));
            }
            Record sums = dsl.select(counts).from(walk.table).fetchSingle();
            for (int i = 0; i < counts.size(); i++) {
                Number n = (Number) sums.get(i);
                total += n == null ? 0 : n.longValue();
            }
        }
        return total;
    }

    /**
     * How many values are sealed in the format before rows were bound ({@code cim1:}, field only): they open in any
     * row until a rotation re-seals them. One pass over each table.
     */
    public static long unboundValues(DSLContext dsl) {
        return count(dsl, column -> column.like(FieldProtector.LEGACY_PREFIX + "%"));
    }

    private KeyRotationRecord start(Keyring keyring) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.update(KEY_REGISTRY).set(KEY_REGISTRY.STATUS, KeyBinding.ENABLED)
                    .where(KEY_REGISTRY.PURPOSE.eq(KeyBinding.ENCRYPTION).and(KEY_REGISTRY.STATUS.eq(KeyBinding.PRIMARY)))
                    .execute();
            long newKey = keyring.primaryEncryptionKey();
            t.deleteFrom(KEY_REGISTRY).where(KEY_REGISTRY.PURPOSE.eq(KeyBinding.ENCRYPTION)
                    .and(KEY_REGISTRY.KEY_ID.eq(newKey))).execute();
            KeyBinding.insert(t, KeyBinding.ENCRYPTION, newKey, KeyBinding.PRIMARY);
            KeyRotationRecord job = t.insertInto(KEY_ROTATION).set(KEY_ROTATION.NEW_KEY_ID, newKey)
                    .set(KEY_ROTATION.STATE, "running").set(KEY_ROTATION.PURPOSE, ENCRYPTION)
                    .set(KEY_ROTATION.ACTOR, audit.context().actor())
                    .returning().fetchSingle();
            audit.append(t, AuditEntry.of("keys.rotate").object("key", String.valueOf(newKey))
                    .detail(Map.of("rotation", job.getId())));
            return job;
        });
    }

    /** Every column that can hold a sealed value: each field's, in each protected table, and quarantine's raw rows. */
    private static List<Walk> walks() {
        List<Walk> walks = new ArrayList<>();
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            List<Field<String>> columns = new ArrayList<>();
            for (CustomerField field : CustomerField.values()) {
                columns.add(walk.column(field));
            }
            if (walk.table() == SOURCE_RECORD) {
                // the values a record's import cleansed, as received: sealed whole, bound to the record
                columns.add(SOURCE_RECORD.CLEANSED);
            }
            walks.add(new Walk(walk.table(), walk.id(), columns, walk.identity(), (row, column) -> {
                if (column == SOURCE_RECORD.CLEANSED) {
                    return FieldProtector.row(row.get(SOURCE_RECORD.SOURCE_SYSTEM), row.get(SOURCE_RECORD.SOURCE_KEY));
                }
                CustomerField field = CustomerField.find(column.getName()).orElseThrow();
                return walk.row(row, field);
            }));
        }
        walks.add(new Walk(QUARANTINE, QUARANTINE.ID, List.of(QUARANTINE.RAW_ROW),
                List.of(QUARANTINE.BATCH_ID, QUARANTINE.LINE_NO),
                (row, column) -> Quarantined.row(row.get(QUARANTINE.BATCH_ID), row.get(QUARANTINE.LINE_NO))));
        return walks;
    }

    /** Values that did not open during a pass: how many, and the first few by table, row id and column. */
    private static final class Unopened {
        final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        final List<String> at = java.util.Collections.synchronizedList(new ArrayList<>());

        String skip(org.jooq.Table<?> table, Record row, Field<Long> id, Field<String> column, String stored) {
            if (count.incrementAndGet() <= NAMED_UNREADABLE) {
                at.add(table.getName() + " " + row.get(id) + " " + column.getName());
            }
            return stored;
        }
    }

    private long reencrypt(KeyRotationRecord job, FieldProtector protector, int batchSize, LongConsumer progress,
                           Unopened unopened) {
        List<Walk> walks = walks();
        long[] done = {job.getValuesDone()};
        long changed = 0;
        boolean reached = job.getResumeTable() == null;
        for (Walk walk : walks) {
            String name = walk.table.getName();
            if (!reached && !name.equals(job.getResumeTable())) {
                continue;
            }
            long after = !reached && job.getResumeAfter() != null ? job.getResumeAfter() : 0;
            reached = true;
            changed += ColumnRewriter.rewrite(dsl, walk.table, walk.id, walk.columns, walk.identity,
                    (row, column, stored) -> {
                        try {
                            return protector.reseal(context(walk.table, column), walk.rowOf.apply(row, column),
                                    stored);
                        } catch (FieldProtector.Unreadable e) {
                            // one altered value must not stop the rotation (and with it every tier change)
                            return unopened.skip(walk.table, row, walk.id, column, stored);
                        }
                    }, after, batchSize,
                    (tx, lastId, n) -> {
                        done[0] += n;
                        tx.update(KEY_ROTATION).set(KEY_ROTATION.RESUME_TABLE, name)
                                .set(KEY_ROTATION.RESUME_AFTER, lastId).set(KEY_ROTATION.VALUES_DONE, done[0])
                                .where(KEY_ROTATION.ID.eq(job.getId())).execute();
                        progress.accept(done[0]);
                    });
        }
        return changed;
    }

    /** The associated data a column's values are sealed with: the field name, or the quarantine's own. */
    static String context(org.jooq.Table<?> table, Field<String> column) {
        return table == QUARANTINE ? Quarantined.CONTEXT : column.getName();
    }

    /** A table's columns that hold sealed values, and which row (of the fetched ones) each value is bound to. */
    private record Walk(org.jooq.Table<?> table, Field<Long> id, List<Field<String>> columns,
                        List<? extends Field<?>> identity, java.util.function.BiFunction<Record, Field<String>, String> rowOf) { }

    private void finish(long jobId, long primary, long done, List<Long> disabled) {
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            t.update(KEY_ROTATION).set(KEY_ROTATION.STATE, "done").set(KEY_ROTATION.FINISHED_AT, OffsetDateTime.now())
                    .where(KEY_ROTATION.ID.eq(jobId)).execute();
            t.update(KEY_REGISTRY).set(KEY_REGISTRY.STATUS, KeyBinding.RETIRED)
                    .set(KEY_REGISTRY.RETIRED_AT, OffsetDateTime.now())
                    .where(KEY_REGISTRY.PURPOSE.eq(KeyBinding.ENCRYPTION).and(KEY_REGISTRY.KEY_ID.ne(primary))
                            .and(KEY_REGISTRY.STATUS.ne(KeyBinding.RETIRED)))
                    .execute();
            audit.append(t, AuditEntry.of("keys.rotate.done").object("key", String.valueOf(primary)).rows(done)
                    .detail(Map.of("rotation", jobId, "disabled", disabled)));
        });
    }
}
