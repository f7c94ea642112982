package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditTrail;
import cim.core.codes.CodesFixtures.Fixture;
import cim.core.codes.CodesFixtures.Loaded;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.JobLock;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.protect.FieldProtector;
import cim.core.testing.TestDatabase;
import cim.core.validate.ResidentId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cim.core.codes.CodesFixtures.load;
import static cim.core.codes.CodesFixtures.options;
import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeAssignerTest {
    private static final AuditTrail AUDIT = CodesFixtures.AUDIT;

    /** Pairwise precision and recall of the current links against the generator's truth. */
    private static double[] pairwise(Database db, Path truthFile) throws Exception {
        Map<String, String> truth = new HashMap<>();
        for (String line : Files.readAllLines(truthFile).subList(1, Files.readAllLines(truthFile).size())) {
            String[] cells = line.strip().split(",");
            truth.put(cells[0] + "," + cells[1], cells[2]);
        }
        Map<String, Long> predicted = new HashMap<>();
        Map<String, Long> real = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        new CodeLookup(db.dsl()).xref(null, r -> {
            String entity = truth.get(r.value1() + "," + r.value2());
            predicted.merge(r.value3(), 1L, Long::sum);
            real.merge(entity, 1L, Long::sum);
            both.merge(r.value3() + "|" + entity, 1L, Long::sum);
        });
        double p = pairs(predicted);
        double t = pairs(real);
        double correct = pairs(both);
        return new double[] {correct / p, correct / t};
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static double pairs(Map<String, Long> groups) {
        return groups.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void everyRecordGetsOneCodeDuplicatesShareItAndARerunChangesNothing(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Loaded loaded = load(testDb, 3_000);
            Database db = loaded.db();
            CodeAssigner assigner = new CodeAssigner(db, AUDIT, loaded.protector());

            CodeAssigner.Result dry = assigner.assign(options(true), n -> { });
            assertThat(dry.examined()).isEqualTo(3_000);
            assertThat(db.dsl().fetchCount(CUSTOMER)).as("a dry run stores nothing").isZero();
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK)).isZero();

            CodeAssigner.Result result = assigner.assign(options(false), n -> { });
            assertThat(result.examined()).isEqualTo(3_000);
            assertThat(result.linked() + result.newCodes()).isEqualTo(3_000);
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK, CUSTOMER_LINK.VALID_TO.isNull())).isEqualTo(3_000);
            assertThat(db.dsl().fetchCount(CUSTOMER, CUSTOMER.MERGED_INTO.isNull())).isEqualTo(result.newCodes()
                    - result.merged());
            assertThat(new CustomerCode(db.dsl().select(CUSTOMER.CODE).from(CUSTOMER).limit(1).fetchOne(CUSTOMER.CODE))
                    .value()).matches("[PG]\\d{9}[0-9X]");
            double[] quality = pairwise(db, loaded.truth());
            assertThat(quality[0]).as("precision").isGreaterThanOrEqualTo(0.99);
            assertThat(quality[1]).as("recall").isGreaterThanOrEqualTo(0.95);
            assertThat(db.dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("codes.assign"))).isEqualTo(5);

            List<String> codesBefore = db.dsl().select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                    .orderBy(CUSTOMER_LINK.ID).fetch(CUSTOMER_LINK.CUSTOMER_CODE);
            CodeAssigner.Result again = assigner.assign(options(false), n -> { });
            assertThat(again.examined()).isZero();
            assertThat(db.dsl().select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK).orderBy(CUSTOMER_LINK.ID)
                    .fetch(CUSTOMER_LINK.CUSTOMER_CODE)).isEqualTo(codesBefore);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void stewardMergeUnmergeAndReviewAreKeptAndNotUndoneByTheMatcher(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Loaded loaded = load(testDb, 1_500);
            Database db = loaded.db();
            new CodeAssigner(db, AUDIT, loaded.protector()).assign(options(false), n -> { });
            Steward steward = new Steward(db, AUDIT, loaded.protector(), ChannelTrust.parse(null));

            // a customer with two or more records: split one off
            String code = db.dsl().select(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                    .where(CUSTOMER_LINK.VALID_TO.isNull()).groupBy(CUSTOMER_LINK.CUSTOMER_CODE)
                    .having(org.jooq.impl.DSL.count().ge(2)).limit(1).fetchOne(CUSTOMER_LINK.CUSTOMER_CODE);
            var record = db.dsl().selectFrom(CUSTOMER_LINK).where(CUSTOMER_LINK.CUSTOMER_CODE.eq(code)
                    .and(CUSTOMER_LINK.VALID_TO.isNull())).orderBy(CUSTOMER_LINK.ID.desc()).limit(1).fetchOne();
            Steward.Split split = steward.unmerge(record.getSourceSystem(), record.getSourceKey(), "two people");
            assertThat(split.from()).isEqualTo(code);
            assertThat(split.newCode()).isNotEqualTo(code);
            assertThat(db.dsl().fetchCount(CODE_SEPARATION)).isEqualTo(1);
            var links = db.dsl().selectFrom(CUSTOMER_LINK).where(CUSTOMER_LINK.SOURCE_KEY.eq(record.getSourceKey()))
                    .orderBy(CUSTOMER_LINK.ID).fetch();
            assertThat(links).hasSize(2);
            assertThat(links.get(0).getValidTo()).as("the old link stays as history").isNotNull();
            assertThat(links.get(1).getPinned()).isTrue();
            assertThat(links.get(1).getCustomerCode()).isEqualTo(split.newCode());

            // the same record again from another channel ties the two codes: the matcher must not join them
            var stored = db.dsl().selectFrom(cim.core.db.schema.Tables.SOURCE_RECORD)
                    .where(cim.core.db.schema.Tables.SOURCE_RECORD.SOURCE_KEY.eq(record.getSourceKey())).fetchOne();
            FieldProtector p = loaded.protector();
            String copy = "source_key,customer_type,name,id_number,mobile,email,uscc\r\nagain-1," + stored.getCustomerType()
                    + "," + p.open(cim.core.protect.CustomerField.NAME, FieldProtector.row(stored.getSourceSystem(), stored.getSourceKey()), stored.getName()) + ","
                    + nullToEmpty(p.open(cim.core.protect.CustomerField.ID_NUMBER, FieldProtector.row(stored.getSourceSystem(), stored.getSourceKey()), stored.getIdNumber())) + ","
                    + nullToEmpty(p.open(cim.core.protect.CustomerField.MOBILE, FieldProtector.row(stored.getSourceSystem(), stored.getSourceKey()), stored.getMobile())) + ","
                    + nullToEmpty(p.open(cim.core.protect.CustomerField.EMAIL, FieldProtector.row(stored.getSourceSystem(), stored.getSourceKey()), stored.getEmail())) + ","
                    + nullToEmpty(p.open(cim.core.protect.CustomerField.USCC, FieldProtector.row(stored.getSourceSystem(), stored.getSourceKey()), stored.getUscc())) + "\r\n";
            Path again = Files.writeString(loaded.dir().resolve("again.csv"), copy);
            new Importer(db, AUDIT, p).importFile(again, ImportOptions.into("again"), null, n -> { });
            CodeAssigner.Result rerun = new CodeAssigner(db, AUDIT, loaded.protector()).assign(options(false), n -> { });
            assertThat(rerun.examined()).isEqualTo(1);
            assertThat(rerun.merged()).isZero();
            assertThat(db.dsl().select(CUSTOMER.MERGED_INTO).from(CUSTOMER).where(CUSTOMER.CODE.eq(split.newCode()))
                    .fetchOne(CUSTOMER.MERGED_INTO)).isNull();

            // merge it back by hand: the code redirects
            Steward.Merged merged = steward.merge(CustomerCode.parse(code), CustomerCode.parse(split.newCode()),
                    "same person after all");
            assertThat(merged.records()).isEqualTo(1);
            assertThat(db.dsl().fetchCount(MATCH_KEY, MATCH_KEY.CUSTOMER_CODE.eq(split.newCode())))
                    .as("the absorbed customer's keys lead to the survivor").isZero();
            assertThat(db.dsl().fetchCount(MATCH_KEY, MATCH_KEY.CUSTOMER_CODE.eq(code)
                    .and(MATCH_KEY.RECORD_ID.eq(links.get(1).getRecordId())))).isPositive();
            CodeLookup.View view = new CodeLookup(db.dsl()).show(CustomerCode.parse(split.newCode()));
            assertThat(view.customer().getCode()).isEqualTo(code);
            assertThat(view.redirects()).containsExactly(code);
            assertThat(view.events()).extracting(e -> e.getAction()).contains("unmerged", "merged");

            assertThatThrownBy(() -> steward.merge(CustomerCode.parse(code), CustomerCode.parse(code), "x"))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE))
                    .hasMessageContaining("itself");
            assertThatThrownBy(() -> steward.merge(CustomerCode.parse(code), CustomerCode.parse(split.newCode()), "x"))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE))
                    .hasMessageContaining("was merged into " + code);
            assertThatThrownBy(() -> steward.merge(CustomerCode.parse(code), CustomerCode.of(false, 999_999), "x"))
                    .hasMessageContaining("no customer");

            // review: accept one, reject another
            List<Long> open = db.dsl().select(REVIEW_ITEM.ID).from(REVIEW_ITEM).where(REVIEW_ITEM.STATE.eq("open"))
                    .orderBy(REVIEW_ITEM.ID).fetch(REVIEW_ITEM.ID);
            assertThat(open).as("the sample has uncertain pairs").hasSizeGreaterThanOrEqualTo(2);
            var item = db.dsl().selectFrom(REVIEW_ITEM).where(REVIEW_ITEM.ID.eq(open.get(0))).fetchOne();
            steward.accept(open.get(0), null);
            assertThat(new CodeLookup(db.dsl()).show(CustomerCode.parse(item.getRecordCode())).customer().getCode())
                    .isEqualTo(item.getCandidateCode());
            steward.reject(open.get(1), "namesakes");
            assertThat(db.dsl().fetchCount(CODE_SEPARATION)).as("the merge lifted the split's separation; the "
                    + "rejection adds one").isEqualTo(1);
            assertThatThrownBy(() -> steward.reject(open.get(1), "again")).hasMessageContaining("already rejected");
        }
    }

    /**
     * F1: ids are handed out before an import commits. A big import still running while a small one commits and codes
     * assign runs has ids below everything that run saw; when it commits, the next run must still code its records.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aBatchThatCommitsAfterALaterOneWasCodedStillGetsItsCodes(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            Database db = f.db();
            CodeAssigner assigner = new CodeAssigner(db, AUDIT, f.protector());
            try (java.sql.Connection held = db.dataSource().getConnection()) {
                held.setAutoCommit(false);
                org.jooq.DSLContext big = org.jooq.impl.DSL.using(held, db.dsl().dialect());
                cim.core.testing.SourceRecords records = new cim.core.testing.SourceRecords(big, f.protector());
                records.source("B1", Map.of(cim.core.protect.CustomerField.NAME, "王一",
                        cim.core.protect.CustomerField.MOBILE, "13800000001"));
                records.source("B2", Map.of(cim.core.protect.CustomerField.NAME, "王二",
                        cim.core.protect.CustomerField.MOBILE, "13800000002"));

                f.load("agent", "source_key,name,mobile\r\nA1,张丽,13812341234\r\n");
                assertThat(assigner.assign(options(false), n -> { }).examined()).isEqualTo(1);
                held.commit();
            }
            CodeAssigner.Result after = assigner.assign(options(false), n -> { });
            assertThat(after.examined()).as("the big import's records, committed last").isEqualTo(2);
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK, CUSTOMER_LINK.VALID_TO.isNull())).isEqualTo(3);
            assertThat(assigner.assign(options(false), n -> { }).examined()).as("and only once").isZero();
            CodeAssigner.Options noSuchBatch = new CodeAssigner.Options(99_999L, false, false, 700,
                    CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
            assertThatThrownBy(() -> assigner.assign(noSuchBatch, n -> { }))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE))
                    .hasMessageContaining("no committed import batch");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRecordDeliveredAgainWithNewValuesKeepsItsCodeAndRefreshesItsCustomer(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            Database db = f.db();
            FieldProtector protector = f.protector();
            f.load("agent", "source_key,name,id_number,mobile\r\nA1,张丽,11010519491231002X,13812341234\r\n");
            CodeAssigner assigner = new CodeAssigner(db, AUDIT, protector);
            assigner.assign(options(false), n -> { });
            String code = db.dsl().select(CUSTOMER.CODE).from(CUSTOMER).fetchSingle(CUSTOMER.CODE);

            f.load("agent", "source_key,name,id_number,mobile\r\nA1,张丽,11010519491231002X,13900001111\r\n");
            CodeAssigner.Result result = assigner.assign(options(false), n -> { });
            assertThat(result.examined()).isZero();
            assertThat(result.refreshed()).isEqualTo(1);
            assertThat(db.dsl().select(CUSTOMER.CODE).from(CUSTOMER).fetchSingle(CUSTOMER.CODE)).isEqualTo(code);
            var golden = db.dsl().select(CUSTOMER.MOBILE, CUSTOMER.PROVENANCE).from(CUSTOMER).fetchSingle();
            assertThat(protector.open(cim.core.protect.CustomerField.MOBILE, FieldProtector.goldenRows(golden.value2(), null)
                    .apply(cim.core.protect.CustomerField.MOBILE), golden.value1()))
                    .as("copied as sealed, bound to the record that supplied it").isEqualTo("+8613900001111");
            assertThat(db.dsl().fetchCount(cim.core.db.schema.Tables.MATCH_KEY,
                    cim.core.db.schema.Tables.MATCH_KEY.RECORD_ID.eq(db.dsl().select(cim.core.db.schema.Tables
                            .SOURCE_RECORD.ID).from(cim.core.db.schema.Tables.SOURCE_RECORD).where(cim.core.db.schema
                            .Tables.SOURCE_RECORD.IS_CURRENT.isTrue()).fetchSingle().value1())))
                    .as("the new version's keys replace the old ones").isEqualTo(db.dsl()
                            .fetchCount(cim.core.db.schema.Tables.MATCH_KEY));
            assertThat(assigner.assign(options(false), n -> { }).refreshed()).as("once").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRecordTyingANewCustomerToAnExistingOneJoinsTheExistingOne(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            Database db = f.db();
            CodeAssigner assigner = new CodeAssigner(db, AUDIT, f.protector());
            f.load("web", "source_key,name,mobile,address\r\nW1,张丽,13812341234,北京市朝阳区中山路1号\r\n");
            assigner.assign(options(false), n -> { });
            String existing = db.dsl().select(CUSTOMER.CODE).from(CUSTOMER).fetchSingle(CUSTOMER.CODE);

            // A1 alone is a new customer (a name is not enough); A2 has A1's ID number and W1's mobile and address
            f.load("agent", "source_key,name,id_number,mobile,address\r\nA1,张丽,11010519491231002X,,\r\n"
                    + "A2,张丽,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n");
            CodeAssigner.Result result = assigner.assign(options(false), n -> { });
            assertThat(result.newCodes()).as("the new customer A1 made joins the existing one").isZero();
            assertThat(db.dsl().selectDistinct(CUSTOMER_LINK.CUSTOMER_CODE).from(CUSTOMER_LINK)
                    .where(CUSTOMER_LINK.VALID_TO.isNull()).fetch(CUSTOMER_LINK.CUSTOMER_CODE))
                    .containsExactly(existing);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKeySharedByTooManyCustomersIsRememberedAsCrowdedAndNotFollowed(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            CodeAssigner assigner = new CodeAssigner(f.db(), AUDIT, f.protector());
            // six different people (different valid ID numbers) with one name in one district: more than the
            // name-sound + district key may gather
            StringBuilder csv = new StringBuilder("source_key,name,id_number,address\r\n");
            for (int i = 0; i < 6; i++) {
                String body = "11010519" + (60 + i) + "0101001";
                csv.append("K").append(i).append(",张伟,").append(body).append(ResidentId.checkCharacter(body))
                        .append(",北京市朝阳区建国路").append(i + 1).append("号\r\n");
            }
            f.load("web", csv.toString());
            assertThat(assigner.assign(options(false), n -> { }).newCodes()).isEqualTo(6);
            assertThat(f.db().dsl().fetchCount(CROWDED_KEY)).as("found within one chunk: not looked up").isZero();

            int keysBefore = f.db().dsl().fetchCount(MATCH_KEY);
            f.load("agent", "source_key,name,address\r\nA1,张伟,北京市朝阳区光华路9号\r\n");
            CodeAssigner.Result second = assigner.assign(options(false), n -> { });
            assertThat(second.newCodes()).isEqualTo(1);
            assertThat(second.review()).as("a crowded key is no hint for review").isZero();
            assertThat(f.db().dsl().fetchCount(CROWDED_KEY)).isEqualTo(1);
            assertThat(f.db().dsl().fetchCount(MATCH_KEY)).as("its only key is crowded: no row written for it")
                    .isEqualTo(keysBefore);

            f.load("agent", "source_key,name,address\r\nA2,张伟,北京市朝阳区光华路10号\r\n");
            assertThat(assigner.assign(options(false), n -> { }).newCodes()).isEqualTo(1);
            assertThat(f.db().dsl().fetchCount(CROWDED_KEY)).as("remembered, not found again").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRunForOneBatchLeavesTheOthersForTheNextWholeRun(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            f.load("agent", "source_key,name,mobile\r\nA1,张丽,13812341234\r\nA2,李娜,13900001111\r\n");
            long second = f.load("agent", "source_key,name,mobile\r\nB1,王芳,13700002222\r\n");
            CodeAssigner assigner = new CodeAssigner(f.db(), AUDIT, f.protector());
            CodeAssigner.Options onlySecond = new CodeAssigner.Options(second, false, false, 700,
                    CodeAssigner.Thresholds.DEFAULT, ChannelTrust.parse(null));
            assertThat(assigner.assign(onlySecond, n -> { }).examined()).isEqualTo(1);
            assertThat(assigner.assign(options(false), n -> { }).examined()).as("the first batch still").isEqualTo(2);
            assertThat(assigner.assign(options(false), n -> { }).examined()).isZero();
            f.load("agent", "source_key,name,mobile\r\nC1,赵敏,13600003333\r\n");
            assertThat(assigner.assign(options(false), n -> { }).examined()).as("newer than the watermark")
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aSecondAssignWhileOneRunsExits75AtOnce(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Loaded loaded = load(testDb, 50);
            try (JobLock held = JobLock.acquire(loaded.db(), CodeAssigner.LOCK, "cim codes assign", false)) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> new CodeAssigner(loaded.db(), AUDIT, loaded.protector())
                        .assign(options(false), n -> { }))
                        .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure())
                                .isEqualTo(Failure.LOCKED)).hasMessageContaining("another 'cim codes assign'");
                assertThat((System.nanoTime() - started) / 1e9).as("at once, not after a timeout").isLessThan(3);
            }
            assertThat(new CodeAssigner(loaded.db(), AUDIT, loaded.protector()).assign(options(false), n -> { })
                    .examined()).as("free again once released").isEqualTo(50);
        }
    }
}
