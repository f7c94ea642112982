package cim.core.codes;

import cim.core.audit.AuditTrail;
import cim.core.codes.CodesFixtures.Fixture;
import cim.core.codes.CodesFixtures.Loaded;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import cim.core.sample.SampleGenerator;
import cim.core.testing.TestDatabase;
import cim.core.validate.ResidentId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cim.core.codes.CodesFixtures.load;
import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a {@code codes assign} run goes about its work, where no decision may depend on it: the customers and keys it
 * remembers across chunks, and a chunk whose write fails.
 */
class CodeAssignerRunTest {
    private static final AuditTrail AUDIT = CodesFixtures.AUDIT;

    /**
     * The run's memory of customers, and of blocking keys (read at its start, or all its own on a new database),
     * must decide exactly as reading them from the database would, golden records included. Two runs: the second
     * brings more records than the database has keys for, so it reads them into memory.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rememberingCustomersAndKeysChangesNoDecision(Backend backend) throws Exception {
        FieldProtector protector = new FieldProtector(Keyring.generate());
        List<List<String>> outcomes = new java.util.ArrayList<>();
        for (int memory = 0; memory < 4; memory++) {
            long capacity = (memory & 1) == 0 ? 0 : 1_000_000;
            boolean keysInMemory = (memory & 2) != 0;
            try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
                new Migrations(db).migrate();
                cim.core.testing.TestChannels.registerCommon(db);
                cim.core.testing.TestKeys.signRegistry(db, protector.keyring());
                Path file = testDb.directory().resolve("sample.csv");
                new SampleGenerator(11, 3).generate(3_000, file, testDb.directory().resolve("truth.csv"), null);
                List<String> lines = Files.readAllLines(file);
                Path first = testDb.directory().resolve("first.csv");
                Path second = testDb.directory().resolve("second.csv");
                // six namesakes in one district in the first chunk; a seventh in a later chunk finds their
                // name-sound + district key crowded, and the second run must know it is
                List<String> firstPart = new java.util.ArrayList<>(lines.subList(0, 701));
                List<String> rest = new java.util.ArrayList<>(List.of(lines.get(0)));
                for (int i = 0; i < 8; i++) {
                    String body = "11010519" + (60 + i) + "0101001";
                    String line = "web,crowd-" + i + ",PERSON,POTENTIAL,张伟,,,身份证," + body
                            + ResidentId.checkCharacter(body) + ",,,,北京市朝阳区建国路" + (i + 1) + "号,,,,";
                    if (i < 6) {
                        firstPart.add(1, line);
                    } else {
                        (i == 6 ? firstPart : rest).add(line);
                    }
                }
                rest.addAll(lines.subList(701, lines.size()));
                Files.write(first, firstPart);
                Files.write(second, rest);
                List<String> outcome = new java.util.ArrayList<>();
                for (Path part : List.of(first, second)) {
                    new Importer(db, AUDIT, protector).importFile(part, ImportOptions.into("mixed"), null, n -> { });
                    // small chunks: most candidates were made by an earlier chunk
                    CodeAssigner.Options smallChunks = new CodeAssigner.Options(null, false, false, 100,
                            CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
                    CodeAssigner.Result result = new CodeAssigner(db, AUDIT, protector,
                            () -> new KnownCustomers(capacity), keysInMemory).assign(smallChunks, n -> { });
                    outcome.addAll(List.of(result.linked() + " linked", result.merged() + " merged",
                            result.review() + " for review"));
                }
                new CodeLookup(db.dsl()).xref(null, r -> outcome.add(r.value1() + "/" + r.value2() + " " + r.value3()));
                db.dsl().select(REVIEW_ITEM.SOURCE_KEY, REVIEW_ITEM.CANDIDATE_CODE, REVIEW_ITEM.SCORE).from(REVIEW_ITEM)
                        .orderBy(REVIEW_ITEM.ID).forEach(r -> outcome.add("review " + r.value1() + " " + r.value2()
                                + " " + r.value3().stripTrailingZeros()));
                db.dsl().select(CUSTOMER.CODE, CUSTOMER.MERGED_INTO, CUSTOMER.STATUS, CUSTOMER.CHANNELS,
                                CUSTOMER.PROVENANCE, CUSTOMER.ID_NUMBER_BIDX, CUSTOMER.MOBILE_BIDX).from(CUSTOMER)
                        .orderBy(CUSTOMER.CODE).forEach(r -> outcome.add(r.intoList().toString()));
                db.dsl().select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY).orderBy(CROWDED_KEY.MATCH_KEY)
                        .forEach(r -> outcome.add("crowded " + r.value1()));
                outcomes.add(outcome);
            }
        }
        assertThat(outcomes.get(0)).as("with nothing remembered").hasSizeGreaterThan(4_000)
                .anyMatch(line -> line.startsWith("crowded ")).noneMatch(line -> line.startsWith("0 linked"));
        for (int memory = 1; memory < 4; memory++) {
            assertThat(outcomes.get(memory)).as("memory " + memory).isEqualTo(outcomes.get(0));
        }
    }

    /**
     * A chunk whose write fails stops the run: the chunks before it stay, nothing of it or of the chunk matched
     * meanwhile is written, and the next run completes the work with every record linked once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aFailedChunkWriteStopsTheRunAndTheNextRunCompletesIt(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Loaded loaded = load(testDb, 300);
            Database db = loaded.db();
            List<String> keys = db.dsl().select(SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD)
                    .orderBy(SOURCE_RECORD.ID).fetch(SOURCE_RECORD.SOURCE_KEY);
            db.dsl().execute("ALTER TABLE customer_link ADD CONSTRAINT test_refused CHECK (source_key <> '"
                    + keys.get(150) + "')");
            CodeAssigner.Options chunksOf100 = new CodeAssigner.Options(null, false, false, 100,
                    CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
            assertThatThrownBy(() -> new CodeAssigner(db, AUDIT, loaded.protector()).assign(chunksOf100, n -> { }))
                    .satisfies(e -> assertThat(org.assertj.core.util.Throwables.getRootCause(e).getMessage())
                            .containsIgnoringCase("test_refused"));
            assertThat(db.dsl().select(SOURCE_RECORD.SOURCE_KEY).from(SOURCE_RECORD).join(CUSTOMER_LINK)
                    .on(CUSTOMER_LINK.SOURCE_KEY.eq(SOURCE_RECORD.SOURCE_KEY)).orderBy(SOURCE_RECORD.ID)
                    .fetch(SOURCE_RECORD.SOURCE_KEY)).as("the first chunk only").isEqualTo(keys.subList(0, 100));
            assertThat(db.dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("codes.assign"))).isEqualTo(1);
            assertThat(keyIndexed(backend, db)).as("the key index, dropped for the run, is back").isTrue();

            db.dsl().execute("ALTER TABLE customer_link DROP CONSTRAINT test_refused");
            CodeAssigner.Result rest = new CodeAssigner(db, AUDIT, loaded.protector()).assign(chunksOf100, n -> { });
            assertThat(rest.examined()).isEqualTo(200);
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK)).isEqualTo(300);
            assertThat(db.dsl().selectDistinct(CUSTOMER_LINK.SOURCE_KEY).from(CUSTOMER_LINK).fetch()).hasSize(300);
            assertThat(db.dsl().fetchCount(CUSTOMER, CUSTOMER.CODE.notIn(db.dsl().select(CUSTOMER_LINK.CUSTOMER_CODE)
                    .from(CUSTOMER_LINK)))).as("customers without records").isZero();
        }
    }

    /**
     * A run holding its keys in memory drops the index of match_key by key and builds it again at its end; a run
     * killed in between leaves it missing, and the next run builds it before it looks any key up.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theKeyIndexIsBuiltAgainAfterARunThatHeldItsKeysAndBeforeTheNextRunIfMissing(Backend backend)
            throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            StringBuilder csv = new StringBuilder("source_key,name,id_number,mobile\r\n");
            for (int i = 0; i < 50; i++) {
                csv.append("K").append(i).append(",王").append(i).append(",").append(idNumber(i))
                        .append(",1391234").append(String.format("%04d", i)).append("\r\n");
            }
            f.load("web", csv.toString());
            assertThat(keyIndexed(backend, f.db())).isTrue();
            CodeAssigner.Result first = new CodeAssigner(f.db(), AUDIT, f.protector())
                    .assign(CodesFixtures.options(false), n -> { });
            assertThat(first.newCodes()).isEqualTo(50);
            assertThat(keyIndexed(backend, f.db())).as("after a run that held its keys").isTrue();

            f.db().dsl().execute("DROP INDEX match_key_key");
            // one record against 50 customers' keys: looked up in the database, not held in memory
            f.load("app", "source_key,name,id_number\r\nA1,王七," + idNumber(7) + "\r\n");
            CodeAssigner.Result next = new CodeAssigner(f.db(), AUDIT, f.protector())
                    .assign(CodesFixtures.options(false), n -> { });
            assertThat(next.linked()).isEqualTo(1);
            assertThat(keyIndexed(backend, f.db())).as("built again before the lookups").isTrue();
        }
    }

    private static String idNumber(int i) {
        String body = "110105197001" + String.format("%02d", i % 28 + 1) + String.format("%03d", i);
        return body + ResidentId.checkCharacter(body);
    }

    private static boolean keyIndexed(Backend backend, Database db) {
        String sql = backend == Backend.H2
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE LOWER(INDEX_NAME) = 'match_key_key'"
                : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'match_key_key'";
        return ((Number) db.dsl().fetchValue(sql)).intValue() == 1;
    }

    /** A customer remembered from an earlier chunk carries the records later chunks linked to it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRememberedCustomerKnowsWhatLaterChunksAddedToIt(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            // R3 shares nothing with R1 but the name; it shares R2's ID number, and R2 joined R1's customer
            f.load("web", "source_key,name,id_number,mobile,address\r\nR1,张丽,,13812341234,北京市朝阳区中山路1号\r\n"
                    + "R2,张丽,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\nR3,张丽,11010519491231002X,,\r\n");
            CodeAssigner.Options oneByOne = new CodeAssigner.Options(null, false, false, 1,
                    CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
            CodeAssigner.Result result = new CodeAssigner(f.db(), AUDIT, f.protector()).assign(oneByOne, n -> { });
            assertThat(result.newCodes()).isEqualTo(1);
            assertThat(f.db().dsl().selectDistinct(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK).fetch())
                    .hasSize(1);
        }
    }
}
