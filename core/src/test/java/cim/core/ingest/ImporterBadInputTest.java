package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.testing.TestDatabase;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the importer does with bad input: limits, forged sealed values, bad channels, shapes and encodings. */
class ImporterBadInputTest {
    private static final AuditTrail AUDIT = ImporterTest.AUDIT;

    private static ImportOptions options(Path rejects) {
        return ImporterTest.options(rejects);
    }

    private static Database migrated(TestDatabase testDb) {
        return ImporterTest.migrated(testDb);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rowsAndValuesOverTheLimitsAreQuarantinedWithTheReasonAndTheRestLoads(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            int most = InputLimits.FIELD_CHARS;
            // at the limit, every kind of value: validators and sealing cope with it (a regex that recursed per
            // character would overflow the stack), and both backends store it
            String full = "A1," + "张".repeat(most) + "," + "1".repeat(most) + "," + "8".repeat(most) + ","
                    + "a".repeat(most - 5) + "@x.cn," + "路".repeat(most);
            Path csv = Files.writeString(testDb.directory().resolve("long.csv"), "source_key,name,id_number,mobile,"
                    + "email,address\n" + full + "\n"
                    + "A2,李四,,,,\"" + "号".repeat(most + 1) + "\"\n"
                    + "A3,王五,,,," + "x".repeat(InputLimits.RECORD_CHARS + 10) + "\n"
                    + "A4,赵六,,13800138000,,\n"
                    + "A5,\"孙七,,,,\n" + "A6,never read,,,,\n".repeat(InputLimits.RECORD_CHARS / 10));
            ImportResult result = importer.importFile(csv, options(null), null, n -> { });
            assertThat(result.accepted()).as(result.toString()).isEqualTo(2);
            assertThat(result.rejected()).isEqualTo(3);
            assertThat(db.dsl().select(SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD).orderBy(SOURCE_RECORD.SOURCE_KEY)
                    .fetch(SOURCE_RECORD.SOURCE_KEY)).containsExactly("A1", "A4");
            assertThat(db.dsl().select(SOURCE_RECORD.ADDRESS).from(SOURCE_RECORD)
                    .where(SOURCE_RECORD.SOURCE_KEY.eq("A1")).fetchSingle().value1()).hasSize(most);
            assertThat(db.dsl().select(QUARANTINE.LINE_NO, QUARANTINE.REASON).from(QUARANTINE)
                    .orderBy(QUARANTINE.LINE_NO).fetch().map(r -> r.value1() + " " + r.value2())).containsExactly(
                    "3 address is longer than " + most + " characters: check the column holds what its header says",
                    "4 " + RowReader.TOO_LONG, "6 " + RowReader.UNCLOSED);
            assertThat(db.dsl().select(DSL.max(DSL.length(QUARANTINE.RAW_ROW))).from(QUARANTINE).fetchSingle().value1())
                    .as("a row's sealed copy is bounded").isLessThan(1_000_000);

            Path jsonl = Files.writeString(testDb.directory().resolve("long.jsonl"),
                    "{\"source_key\":\"J1\",\"name\":\"" + "周".repeat(InputLimits.RECORD_CHARS) + "\"}\r\n"
                            + "{\"source_key\":\"J2\",\"name\":\"" + "吴".repeat(most + 1) + "\"}\r\n"
                            + "{\"source_key\":\"J3\",\"name\":\"郑九\"}\r\n");
            ImportResult lines = importer.importFile(jsonl, options(null), null, n -> { });
            assertThat(lines.accepted()).as(lines.toString()).isEqualTo(1);
            assertThat(db.dsl().select(QUARANTINE.LINE_NO, QUARANTINE.REASON).from(QUARANTINE)
                    .where(QUARANTINE.BATCH_ID.eq(lines.batch())).orderBy(QUARANTINE.LINE_NO).fetch()
                    .map(r -> r.value1() + " " + r.value2())).containsExactly("1 " + RowReader.TOO_LONG,
                    "2 name is longer than " + most + " characters: check the column holds what its header says");
        }
    }

    /**
     * Input is data: a cell holding ciphertext (another row's, or a clear value marked so) is stored as the text it
     * is, sealed where the tier says, escaped where clear, and reads back as that text, never as the other row's value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aValueThatLooksSealedIsDataNotTrusted(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Importer importer = new Importer(db, AUDIT, protector);
            Path first = Files.writeString(testDb.directory().resolve("first.csv"),
                    "source_key,name,mobile\nA1,张三,13812345678\n");
            importer.importFile(first, options(null), null, n -> { });
            String sealed = db.dsl().select(SOURCE_RECORD.MOBILE).from(SOURCE_RECORD).fetchSingle().value1();
            Path copied = Files.writeString(testDb.directory().resolve("copied.csv"), "source_key,name,mobile,address\n"
                    + "B1,李四," + sealed + ",\n"
                    + "B2,cim1:not a value,,\n"
                    + "B3,王五,,\" ｃｉｍ０：Ａ\"\n"
                    + "B4,赵六,,cim: 1 Main St\n");
            ImportResult result = importer.importFile(copied, options(null), null, n -> { });
            assertThat(result.accepted()).as(result.toString()).isEqualTo(4);
            assertThat(result.rejected()).isZero();
            java.util.Map<String, ? extends Record> rows = db.dsl().selectFrom(SOURCE_RECORD).fetchMap(SOURCE_RECORD.SOURCE_KEY);
            java.util.function.BiFunction<String, CustomerField, String> read = (key, field) -> protector.open(field,
                    FieldProtector.row("agent", key), rows.get(key).get(field.column(), String.class));
            assertThat(rows.get("B1").get(SOURCE_RECORD.MOBILE)).as("sealed afresh, as text").startsWith("cim2:")
                    .isNotEqualTo(sealed);
            assertThat(read.apply("B1", CustomerField.MOBILE)).as("the cell's text, not A1's mobile").isEqualTo(sealed);
            assertThat(rows.get("B2").get(SOURCE_RECORD.NAME)).isEqualTo("cim0:cim1:not a value");
            assertThat(read.apply("B2", CustomerField.NAME)).isEqualTo("cim1:not a value");
            assertThat(read.apply("B3", CustomerField.ADDRESS)).as("normalised, then kept as data").isEqualTo("cim0:A");
            assertThat(rows.get("B4").get(SOURCE_RECORD.ADDRESS)).isEqualTo("cim: 1 Main St");
        }
    }

    /**
     * A channel code holds no '/': channel/key names a record and binds its sealed values, and "web"+"x/1" and
     * "web/x"+"1" would be one record, so a value moved between them would open.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aChannelWithASlashIsQuarantined(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("slash.csv"), "source_system,source_key,name\n"
                    + "web,x/1,张三\nweb/x,1,李四\n");
            ImportResult result = new Importer(db, AUDIT, protector).importFile(file, options(null), null, n -> { });
            assertThat(result.accepted()).isEqualTo(1);
            assertThat(db.dsl().select(QUARANTINE.REASON).from(QUARANTINE).fetchSingle().value1())
                    .startsWith("source_system holds a '/'");
        }
    }

    /** A JSON line whose value has the wrong shape (a name as an array, policies as text) is quarantined, not stored. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aJsonValueOfTheWrongShapeQuarantinesItsLine(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("shapes.jsonl"),
                    "{\"source_key\":\"J1\",\"name\":[\"x\"]}\n"
                            + "{\"source_key\":\"J2\",\"name\":\"王五\",\"policies\":\"notarray\"}\n"
                            + "{\"source_key\":\"J3\",\"name\":\"李四\",\"policies\":[{\"no\":\"P-1\"}]}\n");
            ImportResult result = new Importer(db, AUDIT, protector).importFile(file, options(null), null, n -> { });
            assertThat(result.accepted()).isEqualTo(1);
            assertThat(db.dsl().select(QUARANTINE.REASON).from(QUARANTINE).orderBy(QUARANTINE.LINE_NO)
                    .fetch(QUARANTINE.REASON)).containsExactly("name must be a text or a number, not an array",
                    "policies must be an array or object, not a string");
        }
    }

    /** A NUL byte (a binary or damaged file) quarantines its row with the reason; PostgreSQL text cannot hold it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aNulCharacterQuarantinesItsRow(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("nul.csv"), "source_key,name,address\n"
                    + "N1,张\u0000三,北京\nN2,李四,上海\u0000路\nN3,王五,广州\n");
            ImportResult result = new Importer(db, AUDIT, protector).importFile(file, options(null), null, n -> { });
            assertThat(result.accepted()).isEqualTo(1);
            assertThat(db.dsl().select(QUARANTINE.REASON).from(QUARANTINE).orderBy(QUARANTINE.LINE_NO)
                    .fetch(QUARANTINE.REASON)).containsExactly("name holds a NUL character: the file is binary or "
                    + "damaged there", "address holds a NUL character: the file is binary or damaged there");
        }
    }

    /** The associated data binds a sealed value to its record: moved to another row in SQL, it does not open. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aSealedValueMovedToAnotherRecordDoesNotOpen(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("two.csv"),
                    "source_key,name,mobile\nA1,张三,13812345678\nA2,李四,13987654321\n");
            new Importer(db, AUDIT, protector).importFile(file, options(null), null, n -> { });
            String a1 = db.dsl().select(SOURCE_RECORD.MOBILE).from(SOURCE_RECORD)
                    .where(SOURCE_RECORD.SOURCE_KEY.eq("A1")).fetchSingle().value1();
            db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.MOBILE, a1).where(SOURCE_RECORD.SOURCE_KEY.eq("A2"))
                    .execute();
            assertThat(protector.open(CustomerField.MOBILE, FieldProtector.row("agent", "A1"), a1))
                    .isEqualTo("+8613812345678");
            assertThatThrownBy(() -> protector.open(CustomerField.MOBILE, FieldProtector.row("agent", "A2"), a1))
                    .isInstanceOf(FieldProtector.Unreadable.class).hasMessageContaining("moved from another");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void encodingsAndMissingColumnsAreInputErrors(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = migrated(testDb)) {
            Importer importer = new Importer(db, AUDIT, cim.core.testing.TestKeys.protector(db));
            Path gb = testDb.directory().resolve("gb.csv");
            Files.write(gb, "客户编号,姓名\nG1,欧阳娜娜\n".getBytes(Charset.forName("GB18030")));
            assertThatThrownBy(() -> importer.importFile(gb, options(null), null, n -> { }))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.INPUT);
                        assertThat(e.getMessage()).contains("is not valid UTF-8 at byte offset 0");
                        assertThat(e.hint()).contains("GB18030");
                    });
            ImportOptions gbOptions = ImportOptions.into("agent").withFormat(null, "GB18030");
            assertThat(importer.importFile(gb, gbOptions, null, n -> { }).accepted()).isEqualTo(1);
            assertThat(db.dsl().select(SOURCE_RECORD.NAME).from(SOURCE_RECORD).fetchSingle().value1()).isEqualTo("欧阳娜娜");

            Path noKey = Files.writeString(testDb.directory().resolve("nokey.csv"), "id,name\n1,x\n");
            assertThatThrownBy(() -> importer.importFile(noKey, options(null), null, n -> { }))
                    .hasMessageContaining("has no source_key column; its first line has 2 columns: name known, "
                            + "1 not known (their text is not shown)");
            Path headerless = Files.writeString(testDb.directory().resolve("headerless.csv"),
                    "张三,11010519491231002X,13800138000\n李四,110105194912310029,13900139000\n");
            assertThatThrownBy(() -> importer.importFile(headerless, options(null), null, n -> { }))
                    .hasMessageContaining("its first line has 3 columns: none known, 3 not known")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("张三").doesNotContain("11010519491231002X")
                            .doesNotContain("13800138000"));
            Path bad = testDb.directory().resolve("bad.csv");
            Files.write(bad, concat("source_key,name\nK,".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3}));
            assertThatThrownBy(() -> importer.importFile(bad, options(null), null, n -> { }))
                    .hasMessageContaining("at byte offset 18");
            assertThatThrownBy(() -> importer.importFile(testDb.directory().resolve("missing.csv"), options(null),
                    null, n -> { })).hasMessageContaining("no such file");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
