package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation on a real database, both backends: re-sealing, binding old values, runs across a rotation. */
class KeyRotationDbTest {
    private static final AuditTrail AUDIT = ProtectionDbTest.AUDIT;

    private static Database migrated(TestDatabase testDb) {
        return ProtectionDbTest.migrated(testDb);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rotationBindsValuesSealedBeforeRowsWereBound(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            FieldProtector protector = new FieldProtector(first);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            long a = records.source("a", Map.of(CustomerField.NAME, "王一"));
            long b = records.source("b", Map.of(CustomerField.NAME, "王二"));
            records.customer("P1", Map.of(CustomerField.NAME, "王一"));
            String legacyA = legacy(first, "mobile", "+8613800000001");
            String legacyB = legacy(first, "mobile", "+8613800000002");
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, legacyA).where(SOURCE_RECORD.ID.eq(a)).execute();
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, legacyB).where(SOURCE_RECORD.ID.eq(b)).execute();
            db.dsl().update(cim.core.db.schema.Tables.CUSTOMER).set(cim.core.db.schema.Tables.CUSTOMER.MOBILE, legacyA)
                    .execute();
            long batch = db.dsl().select(cim.core.db.schema.Tables.IMPORT_BATCH.ID)
                    .from(cim.core.db.schema.Tables.IMPORT_BATCH).fetchAny().value1();
            db.dsl().insertInto(cim.core.db.schema.Tables.QUARANTINE)
                    .set(cim.core.db.schema.Tables.QUARANTINE.BATCH_ID, batch)
                    .set(cim.core.db.schema.Tables.QUARANTINE.LINE_NO, 7L)
                    .set(cim.core.db.schema.Tables.QUARANTINE.REASON, "x")
                    .set(cim.core.db.schema.Tables.QUARANTINE.RAW_ROW, legacy(first, Quarantined.CONTEXT, "raw"))
                    .set(cim.core.db.schema.Tables.QUARANTINE.RAW_MASKED, "x").execute();
            assertThat(SourceRecords.opened(db.dsl(), protector, a, CustomerField.MOBILE)).isEqualTo("+8613800000001");
            assertThat(protector.open(CustomerField.MOBILE, SourceRecords.row("b"), legacyA))
                    .as("not bound to a row: it opens wherever it is put, until re-sealed").isEqualTo("+8613800000001");
            assertThat(KeyRotation.sealedUnderOtherKeys(db.dsl(), first.primaryEncryptionKey()))
                    .as("legacy values count as left over, whatever their key").isEqualTo(4);

            Keyring[] saved = new Keyring[1];
            new KeyRotation(db.dsl(), AUDIT).rotate(first, k -> saved[0] = k, 1, n -> { });
            FieldProtector next = new FieldProtector(saved[0]);
            String boundA = SourceRecords.stored(db.dsl(), a, CustomerField.MOBILE);
            assertThat(boundA).startsWith(FieldProtector.SEALED_PREFIX);
            assertThat(SourceRecords.opened(db.dsl(), next, a, CustomerField.MOBILE)).isEqualTo("+8613800000001");
            assertThat(SourceRecords.opened(db.dsl(), next, b, CustomerField.MOBILE)).isEqualTo("+8613800000002");
            var golden = db.dsl().select(cim.core.db.schema.Tables.CUSTOMER.MOBILE,
                    cim.core.db.schema.Tables.CUSTOMER.PROVENANCE).from(cim.core.db.schema.Tables.CUSTOMER).fetchSingle();
            assertThat(golden.value1()).startsWith(FieldProtector.SEALED_PREFIX);
            assertThat(next.open(CustomerField.MOBILE, FieldProtector.goldenRows(golden.value2(), "P1")
                    .apply(CustomerField.MOBILE), golden.value1())).isEqualTo("+8613800000001");
            String raw = db.dsl().select(cim.core.db.schema.Tables.QUARANTINE.RAW_ROW)
                    .from(cim.core.db.schema.Tables.QUARANTINE).fetchSingle().value1();
            assertThat(next.open(Quarantined.CONTEXT, Quarantined.row(batch, 7), raw)).isEqualTo("raw");
            assertThatThrownBy(() -> next.open(Quarantined.CONTEXT, Quarantined.row(batch + 1, 7), raw))
                    .isInstanceOf(FieldProtector.Unreadable.class);
            assertThatThrownBy(() -> next.open(CustomerField.MOBILE, SourceRecords.row("b"), boundA))
                    .as("bound now: moved to another row, it does not open").hasMessageContaining("moved from another");
            assertThatThrownBy(() -> next.open(CustomerField.MOBILE, SourceRecords.row("b"), legacyA))
                    .as("a legacy value put back: its key is disabled").hasMessageContaining("retired and disabled");
            assertThat(KeyRotation.sealedUnderOtherKeys(db.dsl(), saved[0].primaryEncryptionKey())).isZero();
        }
    }

    /**
     * A value moved to another record's row in SQL does not open: a rotation and a change of tier leave it as it was,
     * count and name it, and finish, instead of stopping (and with them every other key or tier change) at exit 77.
     */

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRotationReSealsTheValuesCleansingKept(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            cim.core.testing.TestKeys.signRegistry(db, first);
            FieldProtector protector = new FieldProtector(first);
            long a = new SourceRecords(db.dsl(), protector).source("a", Map.of(CustomerField.GENDER, "M"));
            var row = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.ID.eq(a)).fetchSingle();
            String boundTo = FieldProtector.row(row.getSourceSystem(), row.getSourceKey());
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.CLEANSED, protector.seal(
                    cim.core.validate.Cleanser.SEAL_CONTEXT, boundTo, "{\"gender\":\"男\"}"))
                    .where(SOURCE_RECORD.ID.eq(a)).execute();

            Keyring[] saved = new Keyring[1];
            KeyRotation.Outcome rotated = new KeyRotation(db.dsl(), AUDIT).rotate(first, k -> saved[0] = k, 1,
                    n -> { });
            assertThat(rotated.unreadable()).isZero();
            assertThat(rotated.disabled()).containsExactly(first.primaryEncryptionKey());
            assertThat(KeyRotation.sealedUnderOtherKeys(db.dsl(), saved[0].primaryEncryptionKey())).isZero();
            String resealed = db.dsl().select(SOURCE_RECORD.CLEANSED).from(SOURCE_RECORD)
                    .where(SOURCE_RECORD.ID.eq(a)).fetchSingle().value1();
            assertThat(new FieldProtector(saved[0]).open(cim.core.validate.Cleanser.SEAL_CONTEXT, boundTo, resealed))
                    .isEqualTo("{\"gender\":\"男\"}");
        }
    }

    /** A value as cim sealed it before values were bound to rows: cim1: and the field name alone as associated data. */

    private static String legacy(Keyring keyring, String context, String clear) throws Exception {
        byte[] ciphertext = keyring.aead().encrypt(clear.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return FieldProtector.LEGACY_PREFIX + java.util.Base64.getEncoder().withoutPadding().encodeToString(ciphertext);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rotationReencryptsEverythingAndRetiresTheOldKey(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            FieldProtector protector = new FieldProtector(first);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            long[] ids = new long[5];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = records.source("r" + i, Map.of(CustomerField.MOBILE, "1380000000" + i,
                        CustomerField.EMAIL, "u" + i + "@x.cn", CustomerField.NAME, "王" + i));
            }
            Keyring[] saved = new Keyring[1];
            KeyRotation.Outcome outcome = new KeyRotation(db.dsl(), AUDIT).rotate(first, k -> saved[0] = k, 2,
                    n -> { });
            Keyring second = saved[0];
            assertThat(outcome.newKeyId()).isEqualTo(second.primaryEncryptionKey());
            assertThat(outcome.values()).isEqualTo(10);
            FieldProtector next = new FieldProtector(second);
            for (int i = 0; i < ids.length; i++) {
                String mobile = SourceRecords.stored(db.dsl(), ids[i], CustomerField.MOBILE);
                assertThat(FieldProtector.keyIdOf(mobile)).isEqualTo(second.primaryEncryptionKey());
                assertThat(SourceRecords.opened(db.dsl(), next, ids[i], CustomerField.MOBILE))
                        .isEqualTo("1380000000" + i);
            }
            assertThat(KeyBinding.registered(db.dsl())).extracting(r -> r.get("status", String.class))
                    .containsExactlyInAnyOrder("retired", "primary", "primary");
            assertThat(outcome.disabled()).containsExactly(first.primaryEncryptionKey());
            assertThat(second.encryptionKeys()).hasSize(2);
            assertThat(second.enabledEncryptionKeys()).as("the keyset saved last has the old key disabled")
                    .containsExactly(second.primaryEncryptionKey());
            String before = protector.seal(CustomerField.MOBILE, SourceRecords.row("r0"), "13800000000");
            assertThatThrownBy(() -> next.open(CustomerField.MOBILE, SourceRecords.row("r0"), before))
                    .as("a value from before the rotation, put back into a row, no longer opens")
                    .hasMessageContaining("retired and disabled");
            KeyBinding.bind(db.dsl(), second, "k", AUDIT);
            assertThatThrownBy(() -> KeyBinding.bind(db.dsl(), Keyring.fromJson(first.toJson(), "old"), "old",
                    AUDIT)).hasMessageContaining("lacks key " + second.primaryEncryptionKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void oldKeysStayEnabledWhileARunThatBeganBeforeTheRotationStillWritesUnderThem(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            FieldProtector old = new FieldProtector(first);
            SourceRecords records = new SourceRecords(db.dsl(), old);
            long[] ids = new long[5];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = records.source("r" + i, Map.of(CustomerField.MOBILE, "1380000000" + i));
            }
            List<Keyring> saved = new ArrayList<>();
            KeyRotation rotation = new KeyRotation(db.dsl(), AUDIT);
            boolean[] written = {false};
            assertThatThrownBy(() -> rotation.rotate(first, saved::add, 2, n -> {
                if (n > 2 && !written[0]) {
                    // an import that bound the old keyset before the rotation writes a row already moved
                    written[0] = true;
                    db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, old.seal(CustomerField.MOBILE,
                            SourceRecords.row("r0"), "13900000000")).where(SOURCE_RECORD.ID.eq(ids[0])).execute();
                }
            })).isInstanceOfSatisfying(CimException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.LOCKED);
                assertThat(e.getMessage()).startsWith("1 values were sealed under an old key while the rotation ran");
            });
            assertThat(saved).hasSize(1);
            assertThat(saved.get(0).enabledEncryptionKeys()).as("not disabled while a value needs it").hasSize(2);

            KeyRotation.Outcome rerun = rotation.rotate(saved.get(0), saved::add, 2, n -> { });
            assertThat(rerun.resumed()).isTrue();
            assertThat(rerun.disabled()).containsExactly(first.primaryEncryptionKey());
            FieldProtector next = new FieldProtector(saved.get(1));
            assertThat(saved.get(1).enabledEncryptionKeys()).containsExactly(saved.get(1).primaryEncryptionKey());
            assertThat(SourceRecords.opened(db.dsl(), next, ids[0], CustomerField.MOBILE))
                    .isEqualTo("13900000000");
            assertThat(KeyRotation.sealedUnderOtherKeys(db.dsl(), saved.get(1).primaryEncryptionKey())).isZero();
            assertThat(KeyRotation.sealedUnderOtherKeys(db.dsl(), first.primaryEncryptionKey())).isEqualTo(5);
        }
    }

    /**
     * A command that bound the old keyset before the rotation began commits nothing sealed under the old key once the
     * rotation has started: its audit append, which waits for the rotation's, finds the primary changed.
     */

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRunThatBoundTheOldKeysetCommitsNothingOnceTheRotationHasBegun(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            FieldProtector old = new FieldProtector(first);
            AuditTrail importer = AUDIT.guardedBy(tx -> KeyBinding.requirePrimary(tx, first));
            db.dsl().transaction(tx -> importer.append(tx.dsl(), AuditEntry.of("import").rows(1)));
            new SourceRecords(db.dsl(), old).source("r0", Map.of(CustomerField.MOBILE, "13800000000"));
            List<Keyring> saved = new ArrayList<>();
            boolean[] tried = {false};
            boolean[] refused = {false};
            KeyRotation.Outcome outcome = new KeyRotation(db.dsl(), AUDIT.guardedBy(tx -> { })).rotate(first,
                    saved::add, 5, n -> {
                        if (tried[0]) {
                            return;
                        }
                        tried[0] = true;
                        try {
                            db.dsl().transaction(tx -> {
                                new SourceRecords(tx.dsl(), old).source("late", Map.of(CustomerField.MOBILE,
                                        "13900000000"));
                                importer.append(tx.dsl(), AuditEntry.of("import").rows(1));
                            });
                        } catch (CimException e) {
                            assertThat(e.failure()).isEqualTo(Failure.LOCKED);
                            assertThat(e.getMessage()).contains("were rotated while this command ran");
                            refused[0] = true;
                        }
                    });
            assertThat(refused[0]).isTrue();
            assertThat(outcome.disabled()).containsExactly(first.primaryEncryptionKey());
            assertThat(db.dsl().select(SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD).fetch(SOURCE_RECORD.SOURCE_KEY))
                    .as("the refused write was rolled back").containsExactly("r0");
            assertThat(new FieldProtector(saved.get(1)).open(CustomerField.MOBILE, SourceRecords.row("r0"),
                    db.dsl().select(SOURCE_RECORD.MOBILE).from(SOURCE_RECORD).fetchSingle().value1()))
                    .isEqualTo("13800000000");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anInterruptedRotationIsFinishedByARerun(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            SourceRecords records = new SourceRecords(db.dsl(), new FieldProtector(first));
            for (int i = 0; i < 20; i++) {
                records.source("r" + i, Map.of(CustomerField.ID_NUMBER, "11010519491231002" + i % 10));
            }
            Keyring[] saved = new Keyring[1];
            KeyRotation rotation = new KeyRotation(db.dsl(), AUDIT);
            assertThatThrownBy(() -> rotation.rotate(first, k -> saved[0] = k, 5, n -> {
                if (n > 5) {
                    throw new IllegalStateException("power cut in the second batch");
                }
            })).hasMessageContaining("power cut");
            assertThat(db.dsl().fetchCount(cim.core.db.schema.Tables.SOURCE_RECORD)).isEqualTo(20);
            long moved = db.dsl().select(cim.core.db.schema.Tables.SOURCE_RECORD.ID_NUMBER)
                    .from(cim.core.db.schema.Tables.SOURCE_RECORD).fetch(cim.core.db.schema.Tables.SOURCE_RECORD.ID_NUMBER)
                    .stream().filter(v -> FieldProtector.keyIdOf(v) == saved[0].primaryEncryptionKey()).count();
            assertThat(moved).as("the first batch committed, the second rolled back").isEqualTo(5);
            assertThatThrownBy(() -> rotation.rotate(first, k -> { }, 5, n -> { }))
                    .as("the old keyset cannot finish it").hasMessageContaining("unfinished rotation");

            KeyRotation.Outcome rerun = rotation.rotate(saved[0], k -> { }, 5, n -> { });
            assertThat(rerun.resumed()).isTrue();
            assertThat(rerun.values()).isEqualTo(20);
            assertThat(db.dsl().select(cim.core.db.schema.Tables.SOURCE_RECORD.ID_NUMBER)
                    .from(cim.core.db.schema.Tables.SOURCE_RECORD).fetch(cim.core.db.schema.Tables.SOURCE_RECORD.ID_NUMBER))
                    .allMatch(v -> FieldProtector.keyIdOf(v) == saved[0].primaryEncryptionKey());
        }
    }
}
