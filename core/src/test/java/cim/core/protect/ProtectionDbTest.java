package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditFilter;
import cim.core.audit.AuditLog;
import cim.core.audit.AuditTrail;
import cim.core.audit.AuditVerifier;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys, reclassification, masking and lookup on a real database, both backends (rotation: {@link KeyRotationDbTest}). */
class ProtectionDbTest {
    static final AuditTrail AUDIT = new AuditTrail(new AuditContext("dba", "dba", "h", "test"), cim.core.testing.TestKeys.AUDIT);

    static Database migrated(TestDatabase testDb) {
        Database db = testDb.open();
        new Migrations(db).migrate();
        return db;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKeysetIsBoundToItsDatabase(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring keyring = Keyring.generate();
            KeyBinding.bind(db.dsl(), keyring, "k1", AUDIT);
            KeyBinding.bind(db.dsl(), keyring, "k1", AUDIT);
            assertThat(KeyBinding.registered(db.dsl())).hasSize(2);
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all())).extracting(e -> e.action())
                    .containsExactly("keys.register");

            assertThatThrownBy(() -> KeyBinding.bind(db.dsl(), Keyring.generate(), "other.json", AUDIT))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                        assertThat(e.getMessage()).contains("other.json is not this database's");
                    });
        }
    }

    /** F4: several runs binding the same keyset to a fresh database at once register it once, and none fails. */

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void runsBindingAKeysetToAFreshDatabaseAtOnceRegisterItOnce(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring keyring = Keyring.generate();
            AuditTrail audit = new AuditTrail(new AuditContext("dba", "dba", "h", "test"), keyring.auditKey());
            int runs = 6;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
            try {
                List<java.util.concurrent.Future<?>> bound = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    bound.add(pool.submit(() -> {
                        start.await();
                        KeyBinding.bind(db.dsl(), keyring, "k", audit);
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> run : bound) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(KeyBinding.registered(db.dsl())).hasSize(2);
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all())).extracting(e -> e.action())
                    .containsExactly("keys.register");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void reclassifyingReprotectsEveryStoredValue(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            long a = records.source("a", Map.of(CustomerField.POSTAL_CODE, "100085",
                    CustomerField.ID_NUMBER, "11010519491231002X"));
            long b = records.source("b", Map.of(CustomerField.POSTAL_CODE, "310000"));
            records.source("c", Map.of(CustomerField.NAME, "张三"));
            records.customer("P1", Map.of(CustomerField.POSTAL_CODE, "100085"));
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.ID_NUMBER)).startsWith("cim2:");
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.POSTAL_CODE)).isEqualTo("100085");

            Reclassification reclassify = new Reclassification(db.dsl(), AUDIT);
            Reclassification.Impact impact = reclassify.plan(CustomerField.POSTAL_CODE, Tier.ONE);
            assertThat(impact.reprotect()).isTrue();
            assertThat(impact.values()).isEqualTo(3);
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.POSTAL_CODE)).as("a plan changes nothing")
                    .isEqualTo("100085");

            Reclassification.Outcome up = reclassify.apply(CustomerField.POSTAL_CODE, Tier.ONE, "regulator notice 7", false,
                    protector, 2, n -> { });
            assertThat(up.values()).isEqualTo(3);
            assertThat(up.from()).isEqualTo(Tier.TWO);
            String sealed = SourceRecords.stored(db.dsl(), b, CustomerField.POSTAL_CODE);
            assertThat(sealed).startsWith("cim2:");
            assertThat(SourceRecords.opened(db.dsl(), protector, b, CustomerField.POSTAL_CODE)).isEqualTo("310000");
            assertThat(TierRegistry.load(db.dsl()).policy(CustomerField.POSTAL_CODE).version()).isEqualTo(2);

            Reclassification.Outcome down = reclassify.apply(CustomerField.ID_NUMBER, Tier.TWO, "pilot", true, protector,
                    10, n -> { });
            assertThat(down.values()).isEqualTo(1);
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.ID_NUMBER)).isEqualTo("11010519491231002X");

            assertThat(reclassify.apply(CustomerField.ID_NUMBER, Tier.TWO, "again", true, protector, 10, n -> { }).values())
                    .as("already there: nothing to do").isZero();
            Reclassification.Outcome sideways = reclassify.apply(CustomerField.NAME, Tier.THREE, "ok", false, protector, 10,
                    n -> { });
            assertThat(sideways.values()).as("2 to 3 changes no protection").isZero();
            assertThat(SourceRecords.stored(db.dsl(), a + 2, CustomerField.NAME)).isEqualTo("张三");

            assertThat(Reclassification.history(db.dsl(), null)).extracting(Reclassification.Change::field)
                    .containsExactly("name", "id_number", "postal_code");
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all())).extracting(e -> e.action())
                    .contains("tiers.set", "tiers.reprotect");
            assertThat(AuditVerifier.verify(db.dsl(), cim.core.testing.TestKeys.AUDIT).ok()).isTrue();
            assertThatThrownBy(() -> reclassify.apply(CustomerField.EMAIL, Tier.TWO, " ", true, protector, 10, n -> { }))
                    .hasMessageContaining("--reason");
            assertThat(db.dsl().select(TIER_REGISTRY.TIER).from(TIER_REGISTRY).where(TIER_REGISTRY.FIELD.eq("email"))
                    .fetchSingle().value1()).as("nothing changed without a reason").isEqualTo((short) 1);
        }
    }

    /**
     * A database from before values were bound to rows (cim1:, field only): its values still open; one moved between
     * rows does too, until 'keys rotate' re-seals every value bound to its row (golden ones to their supplier,
     * quarantined rows to their line) and disables the old key, after which a legacy value put back opens nowhere.
     */

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void oneValueThatDoesNotOpenStopsNeitherARotationNorATierChange(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Keyring first = Keyring.generate();
            KeyBinding.bind(db.dsl(), first, "k", AUDIT);
            cim.core.testing.TestKeys.signRegistry(db, first);
            FieldProtector protector = new FieldProtector(first);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            long a = records.source("a", Map.of(CustomerField.MOBILE, "13800000001"));
            long b = records.source("b", Map.of(CustomerField.MOBILE, "13800000002"));
            records.source("c", Map.of(CustomerField.MOBILE, "13800000003"));
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, SourceRecords.stored(db.dsl(), a,
                    CustomerField.MOBILE)).where(SOURCE_RECORD.ID.eq(b)).execute();

            Keyring[] saved = new Keyring[1];
            KeyRotation.Outcome rotated = new KeyRotation(db.dsl(), AUDIT).rotate(first, k -> saved[0] = k, 1,
                    n -> { });
            assertThat(rotated.values()).isEqualTo(2);
            assertThat(rotated.unreadable()).isEqualTo(1);
            assertThat(rotated.unreadableAt()).containsExactly("source_record " + b + " mobile");
            assertThat(rotated.disabled()).containsExactly(first.primaryEncryptionKey());
            FieldProtector next = new FieldProtector(saved[0]);
            assertThat(SourceRecords.opened(db.dsl(), next, a, CustomerField.MOBILE)).isEqualTo("13800000001");

            Reclassification.Outcome lowered = new Reclassification(db.dsl(), AUDIT).apply(CustomerField.MOBILE,
                    Tier.TWO, "pilot", true, next, 1, n -> { });
            assertThat(lowered.values()).isEqualTo(2);
            assertThat(lowered.unreadable()).isEqualTo(1);
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.MOBILE)).isEqualTo("13800000001");
        }
    }

    /** The values an import's cleansing kept as received are re-sealed with the rest, and still open after. */

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theMaskerFollowsTheRegistryAndAuditsUnmasking(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            TierRegistry registry = TierRegistry.load(db.dsl());
            Masker masked = new Masker(registry, MaskProfile.TIER1, null);
            assertThat(masked.show(CustomerField.MOBILE, "13812341234", false)).isEqualTo("138****1234");
            assertThat(masked.show(CustomerField.NAME, "张三丰", false)).isEqualTo("张三丰");
            assertThat(masked.revealEvent("export", null, "all", 3, "ab")).isNull();
            assertThat(new Masker(registry, MaskProfile.TIER2, null).show(CustomerField.NAME, "张三丰", false))
                    .isEqualTo("张**");
            assertThatThrownBy(() -> new Masker(registry, MaskProfile.NONE, ""))
                    .isInstanceOfSatisfying(CimException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED));
            Masker clear = new Masker(registry, MaskProfile.NONE, "court order 12");
            assertThat(clear.show(CustomerField.MOBILE, "13812341234", false)).isEqualTo("13812341234");
            var event = clear.revealEvent("export", "court order 12", "--customer P1", 1, "ab12");
            db.dsl().transaction(tx -> AUDIT.append(tx.dsl(), event));
            var logged = AuditLog.find(db.dsl(), AuditFilter.all()).get(0);
            assertThat(logged.reason()).isEqualTo("court order 12");
            assertThat(logged.rowCount()).isEqualTo(1);
            assertThat(logged.detail()).contains("\"filter\":\"--customer P1\"").contains("\"mask\":\"none\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void lookupFindsEncryptedValuesThroughTheBlindIndex(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            records.customer("P1", Map.of(CustomerField.ID_NUMBER, "11010519491231002X",
                    CustomerField.MOBILE, "+8613812341234"));
            records.customer("P2", Map.of(CustomerField.ID_NUMBER, "110105194912310021"));
            records.customer("P7", Map.of(CustomerField.EMAIL, "li.wei@example.cn"));
            ProtectedLookup lookup = new ProtectedLookup(db.dsl(), protector);
            assertThat(lookup.customers(CustomerField.ID_NUMBER, "11010519491231002x")).containsExactly("P1");
            assertThat(lookup.customers(CustomerField.MOBILE, "138 1234 1234")).containsExactly("P1");
            assertThat(lookup.customers(CustomerField.EMAIL, "Li.Wei@example.CN")).containsExactly("P7");
            assertThat(lookup.customers(CustomerField.EMAIL, "nobody@x.cn")).isEmpty();
            assertThatThrownBy(() -> lookup.customers(CustomerField.NAME, "张三"))
                    .hasMessageContaining("cannot be searched");
        }
    }
}
