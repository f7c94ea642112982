package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.Scope;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditEvent;
import cim.core.audit.AuditFilter;
import cim.core.audit.AuditLog;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.db.SchemaUpgrade;
import cim.core.db.schema.tables.records.TierRegistryRecord;
import cim.core.export.ExportOptions;
import cim.core.export.Exporter;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import cim.core.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry as an insider attacks it: a table owner without the keyset edits tier_registry, or puts back a row
 * cim once signed; an operator lowers a tier to unmask a field. Both backends.
 */
class RegistryTamperTest {
    private static final AuditTrail AUDIT = new AuditTrail(new AuditContext("dba", "dba", "h", "test"), TestKeys.AUDIT);
    private static final String CSV = "客户编号,姓名,证件号码,手机号码,邮编\r\n"
            + "A1,张三,11010519491231002X,13812341234,100085\r\n";

    private static Database migrated(TestDatabase testDb) {
        Database db = testDb.open();
        new Migrations(db).migrate();
        cim.core.testing.TestChannels.registerCommon(db);
        return db;
    }

    private static ImportOptions options() {
        return ImportOptions.into("agent");
    }

    private static void refusedNaming(Runnable command, String field) {
        assertThatThrownBy(command::run).isInstanceOfSatisfying(CimException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
            assertThat(e.getMessage()).contains("entry for " + field + " was changed outside cim");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aTierLoweredInSqlStopsImportAndExportAndNothingIsStoredInClear(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = TestKeys.protector(db);
            assertThat(ProtectionCheck.run(db.dsl(), protector.keyring().auditKey()).ok()).isTrue();
            db.dsl().execute("UPDATE tier_registry SET tier = 3 WHERE field IN ('id_number', 'mobile')");

            Path file = Files.writeString(testDb.directory().resolve("agent.csv"), CSV);
            refusedNaming(() -> new Importer(db, AUDIT, protector).importFile(file, options(), null, n -> { }),
                    "id_number");
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).as("nothing stored, in clear or not").isZero();
            refusedNaming(() -> new Exporter(db.dsl(), AUDIT, protector).export(new ExportOptions(Scope.CUSTOMER, ExportOptions.Format.CSV,
                    testDb.directory().resolve("out.csv"), null, List.of(), MaskProfile.TIER1, null)), "id_number");
            assertThat(testDb.directory().resolve("out.csv")).doesNotExist();

            ProtectionCheck.Result check = ProtectionCheck.run(db.dsl(), protector.keyring().auditKey());
            assertThat(check.ok()).isFalse();
            assertThat(check.changedEntries()).containsExactly(CustomerField.ID_NUMBER, CustomerField.MOBILE);

            // an admin repairs each entry by setting the tier cim should use; that signs it again
            Reclassification reclassify = new Reclassification(db.dsl(), AUDIT);
            reclassify.apply(CustomerField.ID_NUMBER, Tier.ONE, "restore after INC-9", false, protector, 10, n -> { });
            refusedNaming(() -> protector.registry(db.dsl()), "mobile");
            reclassify.apply(CustomerField.MOBILE, Tier.ONE, "restore after INC-9", false, protector, 10, n -> { });
            assertThat(protector.registry(db.dsl()).tier(CustomerField.ID_NUMBER)).isEqualTo(Tier.ONE);
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all()).stream().filter(e -> e.action().equals("tiers.set"))
                    .map(AuditEvent::detail)).allMatch(d -> d.contains("\"repair\":true"));

            new Importer(db, AUDIT, protector).importFile(file, options(), null, n -> { });
            assertThat(db.dsl().fetchSingle(SOURCE_RECORD).getIdNumber()).startsWith("cim2:");
            assertThat(ProtectionCheck.run(db.dsl(), protector.keyring().auditKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anOlderSignedEntryPutBackIsRefused(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            // migrated and signed as 'cim db migrate' does it, with its tiers.sign event
            Keyring keys = Keyring.generate();
            SchemaUpgrade.run(db, () -> new AuditTrail(AuditContext.of("dba", "migrate"), keys.auditKey()));
            FieldProtector protector = new FieldProtector(keys);
            Reclassification reclassify = new Reclassification(db.dsl(), AUDIT);
            reclassify.apply(CustomerField.POSTAL_CODE, Tier.ONE, "notice 7", false, protector, 10, n -> { });
            reclassify.apply(CustomerField.POSTAL_CODE, Tier.TWO, "pilot", true, protector, 10, n -> { });
            TierRegistryRecord clearOne = db.dsl().fetchSingle(TIER_REGISTRY, TIER_REGISTRY.FIELD.eq("postal_code"));
            reclassify.apply(CustomerField.POSTAL_CODE, Tier.ONE, "pilot over", false, protector, 10, n -> { });
            assertThat(protector.registry(db.dsl()).tier(CustomerField.POSTAL_CODE)).isEqualTo(Tier.ONE);

            // the owner copies back every column of the row cim signed when the field was in tier 2
            db.dsl().update(TIER_REGISTRY).set(TIER_REGISTRY.TIER, clearOne.getTier())
                    .set(TIER_REGISTRY.VERSION, clearOne.getVersion()).set(TIER_REGISTRY.SET_SEQ, clearOne.getSetSeq())
                    .set(TIER_REGISTRY.CHANGED_AT, clearOne.getChangedAt()).set(TIER_REGISTRY.MAC, clearOne.getMac())
                    .where(TIER_REGISTRY.FIELD.eq("postal_code")).execute();
            refusedNaming(() -> protector.registry(db.dsl()), "postal_code");

            // nor is a missing signature taken for a registry never signed
            db.dsl().update(TIER_REGISTRY).setNull(TIER_REGISTRY.MAC).execute();
            refusedNaming(() -> protector.registry(db.dsl()), "accounts");
        }
    }

    /**
     * The owner lowers tiers, removes every signature and the events since the registry was signed (the chain then
     * ends earlier, and fits), so that the registry looks as if never signed: the admin's next routine migration must
     * not sign it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRegistryMadeToLookNeverSignedIsNotSignedByTheNextMigration(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Keyring keys = Keyring.generate();
            AuditTrail admin = new AuditTrail(AuditContext.of("dba", "migrate"), keys.auditKey());
            SchemaUpgrade.run(db, () -> admin);
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all())).extracting(AuditEvent::action)
                    .containsExactly("tiers.sign", "db.migrate");
            long beforeSign = AuditLog.find(db.dsl(), AuditFilter.all()).get(1).seq();
            String headHash = AuditLog.find(db.dsl(), AuditFilter.all()).get(1).hash();
            try (var c = testDb.connect(); var st = c.createStatement()) {
                c.setAutoCommit(false);
                if (backend == Backend.POSTGRESQL) {
                    st.execute("SET session_replication_role = replica");
                } else {
                    st.execute("DROP TRIGGER audit_event_append_only");
                    st.execute("DROP TRIGGER audit_subject_append_only");
                }
                st.execute("DELETE FROM audit_subject WHERE seq > " + beforeSign);
                st.execute("DELETE FROM audit_event WHERE seq > " + beforeSign);
                st.execute("UPDATE audit_head SET last_seq = " + beforeSign + ", last_hash = '" + headHash + "'");
                st.execute("UPDATE tier_registry SET mac = NULL");
                st.execute("UPDATE tier_registry SET tier = 3, masking = 'first_char' WHERE field = 'email'");
                st.execute("UPDATE tier_registry SET tier = 3, masking = 'none' WHERE field = 'id_number'");
                c.commit();
            }
            Migrations.Outcome again = SchemaUpgrade.run(db, () -> admin);
            assertThat(again.applied()).isZero();

            FieldProtector protector = new FieldProtector(keys);
            assertThatThrownBy(() -> protector.registry(db.dsl())).isInstanceOfSatisfying(CimException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                assertThat(e.getMessage()).contains("carries no signatures");
            });
            Path file = Files.writeString(testDb.directory().resolve("a.csv"), CSV);
            assertThatThrownBy(() -> new Importer(db, admin, protector).importFile(file, options(), null, n -> { }))
                    .isInstanceOf(CimException.class);
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isZero();

            // an admin decides the tier, field by field: that signs the entry again
            new Reclassification(db.dsl(), admin).apply(CustomerField.ID_NUMBER, Tier.ONE, "restored", false,
                    protector, 10, n -> { });
            assertThat(TierRegistry.changed(db.dsl(), keys.auditKey())).doesNotContain(CustomerField.ID_NUMBER)
                    .contains(CustomerField.EMAIL);
            assertThat(db.dsl().fetchSingle(TIER_REGISTRY, TIER_REGISTRY.FIELD.eq("id_number")).getMasking())
                    .as("a masking that is no rule becomes the strictest").isEqualTo("redact");
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all()).stream().filter(e -> e.action().equals("tiers.set"))
                    .map(AuditEvent::detail)).as("the repair's event names the masking it signed")
                    .singleElement().asString().contains("\"masking\":\"redact\"");
        }
    }

    /**
     * The owner takes schema 14 out of the schema's history (and the signatures with it) after changing tiers, so
     * that the next migration applies it again and signs what it finds: the signing it runs is refused while the
     * trail records an earlier one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void signingTheRegistryAgainIsRefusedOnceTheTrailRecordsASigning(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Keyring keys = Keyring.generate();
            AuditTrail admin = new AuditTrail(AuditContext.of("dba", "migrate"), keys.auditKey());
            SchemaUpgrade.run(db, () -> admin);
            db.dsl().execute("UPDATE tier_registry SET tier = 3, masking = 'none' WHERE field = 'id_number'");
            assertThatThrownBy(() -> db.dsl().transaction(tx -> TierRegistry.signAll(tx.dsl(), keys.auditKey())))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                        assertThat(e.getMessage()).contains("was signed before");
                    });
            assertThat(TierRegistry.changed(db.dsl(), keys.auditKey())).containsExactly(CustomerField.ID_NUMBER);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void movingOutOfTierOneNeedsTheRevealNamedAndIsAuditedAsOne(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = TestKeys.protector(db);
            long a = new SourceRecords(db.dsl(), protector).source("a", Map.of(CustomerField.ID_NUMBER,
                    "11010519491231002X"));
            Reclassification reclassify = new Reclassification(db.dsl(), AUDIT);
            assertThat(reclassify.plan(CustomerField.ID_NUMBER, Tier.THREE).reveals()).isTrue();
            // a dry run's plan on an entry lowered in SQL: the sealed values still show as a reveal to come
            db.dsl().execute("UPDATE tier_registry SET tier = 3 WHERE field = 'id_number'");
            Reclassification.Impact tampered = reclassify.plan(CustomerField.ID_NUMBER, Tier.THREE);
            assertThat(tampered.values()).isEqualTo(1);
            assertThat(tampered.reprotect()).isTrue();
            assertThat(tampered.reveals()).isTrue();
            db.dsl().execute("UPDATE tier_registry SET tier = 1 WHERE field = 'id_number'");
            assertThatThrownBy(() -> reclassify.apply(CustomerField.ID_NUMBER, Tier.THREE, "x", false, protector, 10,
                    n -> { })).isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                        assertThat(e.getMessage()).contains("decrypts its 1 stored values");
                    });
            assertThat(SourceRecords.stored(db.dsl(), a, CustomerField.ID_NUMBER)).startsWith("cim2:");
            assertThat(protector.registry(db.dsl()).tier(CustomerField.ID_NUMBER)).isEqualTo(Tier.ONE);
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all())).extracting(AuditEvent::action)
                    .doesNotContain("tiers.set");

            reclassify.apply(CustomerField.ID_NUMBER, Tier.THREE, "regulator ruling 12", true, protector, 10, n -> { });
            AuditEvent set = AuditLog.find(db.dsl(), AuditFilter.all()).stream()
                    .filter(e -> e.action().equals("tiers.set")).findFirst().orElseThrow();
            assertThat(set.detail()).contains("\"reveal\":true");
            assertThat(set.rowCount()).isEqualTo(1);
            assertThat(set.reason()).isEqualTo("regulator ruling 12");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aValueWrittenInClearAroundCimIsFoundAndSealedAgain(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = TestKeys.protector(db);
            long a = new SourceRecords(db.dsl(), protector).source("a", Map.of(CustomerField.MOBILE, "13812341234"));
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, "13912345678").where(SOURCE_RECORD.ID.eq(a))
                    .execute();
            ProtectionCheck.Result check = ProtectionCheck.run(db.dsl(), protector.keyring().auditKey());
            assertThat(check.changedEntries()).isEmpty();
            assertThat(check.clearValues()).containsExactly(Map.entry(CustomerField.MOBILE, 1L));

            new Reclassification(db.dsl(), AUDIT).apply(CustomerField.MOBILE, Tier.ONE, "re-seal", false, protector,
                    10, n -> { });
            assertThat(SourceRecords.opened(db.dsl(), protector, a, CustomerField.MOBILE))
                    .isEqualTo("13912345678");
            assertThat(ProtectionCheck.run(db.dsl(), protector.keyring().auditKey()).ok()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void movingIntoTierOneMasksTheFieldInQuarantinesCopies(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("agent.csv"), "客户编号,姓名,手机号码,邮编\r\n"
                    + ",无名,13900000000,310000\r\n");
            new Importer(db, AUDIT, protector).importFile(file, options(), null, n -> { });
            assertThat(db.dsl().fetchSingle(QUARANTINE).getRawMasked()).contains("postal_code=310000");

            new Reclassification(db.dsl(), AUDIT).apply(CustomerField.POSTAL_CODE, Tier.ONE, "notice 7", false,
                    protector, 10, n -> { });
            assertThat(db.dsl().fetchSingle(QUARANTINE).getRawMasked()).doesNotContain("310000")
                    .contains("mobile=139****0000").contains("name=无名");
        }
    }

    @Test
    void aFieldIsMaskedToTheNextNameInOrder() {
        assertThat(Quarantined.mask("email=a@b.cn; postal_code=310000; source_key=A1", CustomerField.POSTAL_CODE,
                MaskingRule.REDACT)).isEqualTo("email=a@b.cn; postal_code=" + MaskingRule.REDACT.mask("310000", false)
                        + "; source_key=A1");
        assertThat(Quarantined.mask("postal_code=310000", CustomerField.POSTAL_CODE, MaskingRule.REDACT))
                .doesNotContain("310000");
        assertThat(Quarantined.mask("name=x", CustomerField.POSTAL_CODE, MaskingRule.REDACT)).isEqualTo("name=x");
        // a value holding "; name=" of a name sorting before the field's is masked whole
        assertThat(Quarantined.mask("qq=1; id_type=2345; source_key=A1", CustomerField.QQ, MaskingRule.REDACT))
                .doesNotContain("2345").endsWith("; source_key=A1");
    }
}
