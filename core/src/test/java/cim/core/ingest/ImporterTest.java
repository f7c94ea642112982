package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditFilter;
import cim.core.audit.AuditLog;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.testing.TestDatabase;
import org.jooq.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.IMPORT_STAGING;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImporterTest {
    static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("loader", "cim import"), cim.core.testing.TestKeys.AUDIT);
    private static final String CSV = "\uFEFF客户编号,姓名,证件号码,手机号,电子邮箱,地址\r\n"
            + "A1,张三,11010519491231002X,13812341234,Zhang.San@Example.cn,\"北京市海淀区中关村大街27号,3层\"\r\n"
            + "A2,李四,110105194912310021,138 0000 0000,li@x.cn,\"上海市\n浦东新区\"\r\n"
            + "A3,王五,１１０１０５４９１２３１００２,,,\r\n"
            + "A4,赵六\r\n"
            + ",无名,,13900000000,,\r\n"
            + "A6,,,,,\r\n";

    static ImportOptions options(Path rejects) {
        return ImportOptions.into("agent");
    }

    static Database migrated(TestDatabase testDb) {
        Database db = testDb.open();
        new Migrations(db).migrate();
        cim.core.testing.TestChannels.registerCommon(db);
        return db;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aCsvFileWithChineseHeadersBecomesSourceRecordsAndQuarantine(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("agent.csv"), CSV);
            Path rejectsPath = testDb.directory().resolve("rejects.csv");
            ImportResult result;
            try (RejectsFile rejects = RejectsFile.create(rejectsPath)) {
                result = new Importer(db, AUDIT, protector).importFile(file, options(rejectsPath), rejects, n -> { });
                rejects.commit();
            }
            assertThat(result.read()).isEqualTo(6);
            assertThat(result.accepted()).isEqualTo(3);
            assertThat(result.rejected()).isEqualTo(3);

            Record a1 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A1")).fetchSingle();
            assertThat(a1.get(SOURCE_RECORD.ID_NUMBER)).startsWith("cim2:");
            assertThat(protector.open(CustomerField.ID_NUMBER, row(a1), a1.get(SOURCE_RECORD.ID_NUMBER))).isEqualTo("11010519491231002X");
            assertThat(protector.open(CustomerField.MOBILE, row(a1), a1.get(SOURCE_RECORD.MOBILE))).isEqualTo("+8613812341234");
            assertThat(protector.open(CustomerField.EMAIL, row(a1), a1.get(SOURCE_RECORD.EMAIL))).isEqualTo("zhang.san@example.cn");
            assertThat(a1.get(SOURCE_RECORD.ADDRESS)).isEqualTo("北京市海淀区中关村大街27号,3层");
            assertThat(a1.get(SOURCE_RECORD.LINE_NO)).isEqualTo(2L);
            assertThat(a1.get(SOURCE_RECORD.SOURCE_SYSTEM)).isEqualTo("agent");
            assertThat(a1.get(SOURCE_RECORD.STATUS)).isEqualTo("POTENTIAL");
            assertThat(a1.get(SOURCE_RECORD.ISSUES)).isNull();

            Record a2 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A2")).fetchSingle();
            assertThat(a2.get(SOURCE_RECORD.ISSUES)).as("kept, flagged, never corrected")
                    .contains("\"id_number\":\"checksum:").doesNotContain("110105");
            assertThat(protector.open(CustomerField.ID_NUMBER, row(a2), a2.get(SOURCE_RECORD.ID_NUMBER))).isEqualTo("110105194912310021");
            assertThat(a2.get(SOURCE_RECORD.ADDRESS)).isEqualTo("上海市\n浦东新区");

            Record a3 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A3")).fetchSingle();
            assertThat(protector.open(CustomerField.ID_NUMBER, row(a3), a3.get(SOURCE_RECORD.ID_NUMBER)))
                    .as("full-width legacy 15-digit number, normalised").isEqualTo("11010519491231002X");
            assertThat(a3.get(SOURCE_RECORD.ID_NUMBER_BIDX)).isEqualTo(a1.get(SOURCE_RECORD.ID_NUMBER_BIDX));

            List<Record> quarantined = db.dsl().select().from(QUARANTINE).orderBy(QUARANTINE.LINE_NO).fetch();
            assertThat(quarantined).extracting(r -> r.get(QUARANTINE.LINE_NO)).containsExactly(6L, 7L, 8L);
            assertThat(quarantined.get(0).get(QUARANTINE.REASON)).startsWith("wrong number of columns");
            assertThat(quarantined.get(1).get(QUARANTINE.REASON)).isEqualTo("no source_key");
            assertThat(quarantined.get(1).get(QUARANTINE.RAW_ROW)).startsWith("cim2:");
            assertThat(quarantined.get(1).get(QUARANTINE.RAW_MASKED)).contains("mobile=139****0000")
                    .doesNotContain("13900000000");
            assertThat(quarantined.get(2).get(QUARANTINE.REASON)).startsWith("neither a name nor any identifier");
            assertThat(Files.readString(rejectsPath)).contains("\"no source_key\"").doesNotContain("13900000000");

            assertThat(db.dsl().fetchCount(IMPORT_STAGING)).isZero();
            assertThat(db.dsl().fetchSingle(IMPORT_BATCH).getState()).isEqualTo("committed");
            assertThat(AuditLog.find(db.dsl(), AuditFilter.all()).get(0).action()).isEqualTo("import");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aFileAlreadyLoadedIsSkippedAndARedeliveredKeyBecomesANewVersion(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            Path first = Files.writeString(testDb.directory().resolve("1.csv"), "source_key,name\nK1,甲\nK2,乙\n");
            importer.importFile(first, options(null), null, n -> { });
            ImportResult again = importer.importFile(first, options(null), null, n -> { });
            assertThat(again.skipped()).isTrue();
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isEqualTo(2);

            Path second = Files.writeString(testDb.directory().resolve("2.csv"), "source_key,name\nK1,甲改\nK1,甲再改\n");
            importer.importFile(second, options(null), null, n -> { });
            List<Record> k1 = db.dsl().select().from(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("K1"))
                    .orderBy(SOURCE_RECORD.VERSION).fetch();
            assertThat(k1).extracting(r -> r.get(SOURCE_RECORD.VERSION)).containsExactly(1, 2, 3);
            assertThat(k1).extracting(r -> r.get(SOURCE_RECORD.IS_CURRENT)).containsExactly(false, false, true);
            assertThat(k1.get(2).get(SOURCE_RECORD.NAME)).isEqualTo("甲再改");

            ImportOptions force = ImportOptions.into("agent").withForce(true);
            assertThat(importer.importFile(first, force, null, n -> { }).accepted()).isEqualTo(2);
            assertThat(db.dsl().fetchCount(SOURCE_RECORD, SOURCE_RECORD.IS_CURRENT.isTrue())).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void newKeysGoStraightInAndRepeatedOrKnownKeysBecomeVersions(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            StringBuilder csv = new StringBuilder("source_system,source_key,name\n");
            for (int i = 0; i < 2 * Importer.CHUNK + 10; i++) {
                csv.append("web,K").append(i).append(",客户").append(i).append('\n');
            }
            csv.append("web,K5,客户五改\nweb,K5,客户五再改\ncall,K5,另一渠道\n");
            importer.importFile(Files.writeString(testDb.directory().resolve("a.csv"), csv), options(null), null,
                    n -> { });
            assertThat(versions(db, "web", "K5")).containsExactly("1:false:客户5", "2:false:客户五改", "3:true:客户五再改");
            assertThat(versions(db, "call", "K5")).containsExactly("1:true:另一渠道");

            Path next = Files.writeString(testDb.directory().resolve("b.csv"),
                    "source_system,source_key,name\nweb,K7,客户七改\nweb,NEW,新客户\nweb,NEW,新客户改\n");
            importer.importFile(next, options(null), null, n -> { });
            assertThat(versions(db, "web", "K7")).containsExactly("1:false:客户7", "2:true:客户七改");
            assertThat(versions(db, "web", "NEW")).containsExactly("1:false:新客户", "2:true:新客户改");
            assertThat(db.dsl().fetchCount(SOURCE_RECORD, SOURCE_RECORD.IS_CURRENT.isTrue()))
                    .isEqualTo(2 * Importer.CHUNK + 10 + 2);
        }
    }

    /** A channel with many more stored keys than the file has rows is not loaded: its rows all take the staged path. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aSmallFileForABigChannelStillMakesVersions(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            StringBuilder csv = new StringBuilder("source_key,name\n");
            for (int i = 0; i < 10_050; i++) {
                csv.append("K").append(i).append(",客户").append(i).append('\n');
            }
            importer.importFile(Files.writeString(testDb.directory().resolve("big.csv"), csv), options(null), null,
                    n -> { });
            importer.importFile(Files.writeString(testDb.directory().resolve("small.csv"),
                    "source_key,name\nK10049,客户改\nNEW,新客户\n"), options(null), null, n -> { });
            assertThat(versions(db, "agent", "K10049")).containsExactly("1:false:客户10049", "2:true:客户改");
            assertThat(versions(db, "agent", "NEW")).containsExactly("1:true:新客户");
        }
    }

    private static List<String> versions(Database db, String channel, String key) {
        return db.dsl().select(SOURCE_RECORD.VERSION, SOURCE_RECORD.IS_CURRENT, SOURCE_RECORD.NAME).from(SOURCE_RECORD)
                .where(SOURCE_RECORD.SOURCE_SYSTEM.eq(channel).and(SOURCE_RECORD.SOURCE_KEY.eq(key)))
                .orderBy(SOURCE_RECORD.VERSION).fetch(r -> r.value1() + ":" + r.value2() + ":" + r.value3());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void twoRunsImportingTheSameFileAtOnceLoadItOnce(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            StringBuilder csv = new StringBuilder("source_key,name\n");
            for (int i = 0; i < 3000; i++) {
                csv.append("K").append(i).append(",客户").append(i).append('\n');
            }
            Path file = Files.writeString(testDb.directory().resolve("cron.csv"), csv);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<ImportResult>> runs = pool.invokeAll(List.of(
                        () -> importer.importFile(file, options(null), null, n -> { }),
                        () -> importer.importFile(file, options(null), null, n -> { })));
                List<ImportResult> results = List.of(runs.get(0).get(), runs.get(1).get());
                assertThat(results).filteredOn(ImportResult::skipped).hasSize(1);
                assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isEqualTo(3000);
                assertThat(db.dsl().fetchCount(IMPORT_BATCH)).isEqualTo(1);
            } finally {
                pool.shutdown();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void tooManyRejectsOrADryRunStoreNothing(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            Path file = Files.writeString(testDb.directory().resolve("a.csv"), CSV);
            ImportOptions dry = ImportOptions.into("agent").withDryRun(true);
            assertThat(importer.importFile(file, dry, null, n -> { }).rejected()).isEqualTo(3);
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isZero();
            assertThat(db.dsl().fetchCount(IMPORT_BATCH)).isZero();

            ImportOptions strict = ImportOptions.into("agent").withMaxRejects(RejectLimit.parse("40%"));
            assertThatThrownBy(() -> importer.importFile(file, strict, null, n -> { }))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.CHECK_FAILED);
                        assertThat(e.getMessage()).contains("3 of 6 rows rejected, over --max-rejects 40%");
                    });
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isZero();
            assertThat(db.dsl().fetchCount(QUARANTINE)).isZero();
            assertThat(db.dsl().fetchCount(IMPORT_STAGING)).isZero();
            assertThat(db.dsl().fetchSingle(IMPORT_BATCH).getState()).isEqualTo("failed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void jsonLinesCarryTheOtherCategoriesAndPoliciesMakeACustomerInsured(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("web.jsonl"),
                    "{\"source_key\":\"W1\",\"name\":\"周七\",\"policies\":[{\"no\":\"P-1\",\"role\":\"投保人\"}],"
                            + "\"accounts\":[{\"bank\":\"ICBC\",\"number\":\"6222020200112233445\"}]}\n"
                            + "{\"source_key\":\"W2\",\"name\":\"吴八\",\"touchpoints\":[{\"channel\":\"wechat\"}]}\n"
                            + "{\"source_key\":\"W3\",\"wechat\":\"wxid_secret123\" broken\n");
            ImportResult result = new Importer(db, AUDIT, protector).importFile(file, options(null), null, n -> { });
            assertThat(result.accepted()).isEqualTo(2);
            assertThat(result.rejected()).isEqualTo(1);
            Record w1 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("W1")).fetchSingle();
            assertThat(w1.get(SOURCE_RECORD.STATUS)).isEqualTo("INSURED");
            assertThat(w1.get(SOURCE_RECORD.ACCOUNTS)).as("accounts are tier 1").startsWith("cim2:");
            assertThat(protector.open(CustomerField.ACCOUNTS, row(w1), w1.get(SOURCE_RECORD.ACCOUNTS))).contains("6222020200112233445");
            assertThat(w1.get(SOURCE_RECORD.POLICIES)).contains("P-1");
            assertThat(w1.get(SOURCE_RECORD.ISSUES)).as("a card number that fails the Luhn check is flagged, kept")
                    .contains("\"accounts\":\"checksum: account 1:").doesNotContain("6222");
            Record w2 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("W2")).fetchSingle();
            assertThat(w2.get(SOURCE_RECORD.STATUS)).isEqualTo("POTENTIAL");
            assertThat(w2.get(SOURCE_RECORD.TOUCHPOINTS)).contains("wechat");
            assertThat(db.dsl().fetchSingle(QUARANTINE).getReason())
                    .isEqualTo("broken JSON at column 46: not one well-formed JSON object")
                    .as("Jackson's message would quote the text").doesNotContain("wxid_secret123");
        }
    }

    /** The row a source record's values are bound to. */
    static String row(Record r) {
        return FieldProtector.row(r.get(SOURCE_RECORD.SOURCE_SYSTEM), r.get(SOURCE_RECORD.SOURCE_KEY));
    }
}
