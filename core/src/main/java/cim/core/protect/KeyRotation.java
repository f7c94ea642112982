package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.schema.tables.records.KeyRotationRecord;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static cim.core.db.schema.Tables.KEY_REGISTRY;
import static cim.core.db.schema.Tables.KEY_ROTATION;
import static cim.core.db.schema.Tables.QUARANTINE;

/**
 * Rotates the encryption key: a new primary key is added to the keyset (written first, so it is never lost),
 * the database records it, and every sealed value is re-encrypted under it in resumable batches. Old keys stay in
 * the keyset; once nothing uses them they are marked retired.
 */
public final class KeyRotation {
    private final DSLContext dsl;
    private final AuditTrail audit;

    public KeyRotation(DSLContext dsl, AuditTrail audit) {
        this.dsl = dsl;
        this.audit = audit;
    }

    /** What a rotation did. */
    public record Outcome(long newKeyId, long values, boolean resumed) { }

    /**
     * @param current   the keyset in use (already bound to the database)
     * @param saveKeyset writes the rotated keyset to its file, before the database is told of the new key
     */
    public Outcome rotate(Keyring current, Consumer<Keyring> saveKeyset, int batchSize, LongConsumer progress) {
        KeyRotationRecord job = dsl.selectFrom(KEY_ROTATION).where(KEY_ROTATION.STATE.eq("running"))
                .orderBy(KEY_ROTATION.ID.desc()).limit(1).fetchOne();
        boolean resumed = job != null;
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
        long done = job.getValuesDone() + reencrypt(job, protector, batchSize, progress);
        finish(job.getId(), keyring.primaryEncryptionKey(), done);
        return new Outcome(keyring.primaryEncryptionKey(), done, resumed);
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
                    .set(KEY_ROTATION.STATE, "running").set(KEY_ROTATION.ACTOR, audit.context().actor())
                    .returning().fetchSingle();
            audit.append(t, AuditEntry.of("keys.rotate").object("key", String.valueOf(newKey))
                    .detail(Map.of("rotation", job.getId())));
            return job;
        });
    }

    private long reencrypt(KeyRotationRecord job, FieldProtector protector, int batchSize, LongConsumer progress) {
        List<Walk> walks = new ArrayList<>();
        for (ProtectedTables.Walk walk : ProtectedTables.ALL) {
            List<Field<String>> columns = new ArrayList<>();
            for (CustomerField field : CustomerField.values()) {
                columns.add(walk.column(field));
            }
            walks.add(new Walk(walk, columns));
        }
        walks.add(new Walk(new ProtectedTables.Walk(QUARANTINE, QUARANTINE.ID), List.of(QUARANTINE.RAW_ROW)));

        long[] done = {job.getValuesDone()};
        long changed = 0;
        boolean reached = job.getResumeTable() == null;
        for (Walk walk : walks) {
            String name = walk.table.table().getName();
            if (!reached && !name.equals(job.getResumeTable())) {
                continue;
            }
            long after = !reached && job.getResumeAfter() != null ? job.getResumeAfter() : 0;
            reached = true;
            changed += ColumnRewriter.rewrite(dsl, walk.table.table(), walk.table.id(), walk.columns,
                    (column, stored) -> protector.reseal(context(walk.table, column), stored), after, batchSize,
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
    static String context(ProtectedTables.Walk walk, Field<String> column) {
        return walk.table() == QUARANTINE ? Quarantined.CONTEXT : column.getName();
    }

    private record Walk(ProtectedTables.Walk table, List<Field<String>> columns) { }

    private void finish(long jobId, long primary, long done) {
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
                    .detail(Map.of("rotation", jobId)));
        });
    }
}
