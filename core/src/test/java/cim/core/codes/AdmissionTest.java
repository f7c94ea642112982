package cim.core.codes;

import cim.core.codes.CodesFixtures.Fixture;
import cim.core.db.Backend;
import cim.core.policy.Policy;
import cim.core.policy.PolicyFile;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission rules in {@code codes assign}: a record that fails them gets no code and waits in the queue with its
 * reasons (never its values); re-delivering it, or a policy that admits it, gives it a code in the next run.
 */
class AdmissionTest {
    private static final String HEADER = "source_key,customer_type,name,id_number,mobile,uscc\n";

    private static CodeAssigner.Options run(Policy policy, boolean dryRun) {
        return CodeAssigner.Options.of(null, dryRun, false, 2, policy);
    }

    private static CodeAssigner assigner(Fixture f) {
        return new CodeAssigner(f.db(), CodesFixtures.AUDIT, f.protector());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void refusedRecordsWaitWithTheirReasonsUntilTheyPass(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            f.load("web", HEADER
                    + "W1,PERSON,张三,11010519491231002X,,\n"
                    + "W2,PERSON,周六,,,\n"
                    + "W3,PERSON,李四,110105194912310021,,\n"
                    + "W4,ORG,某公司,,,\n"
                    + "W5,PERSON,王五,,13812345678,\n");
            CodeAssigner.Result dry = assigner(f).assign(run(Policy.DEFAULT, true), n -> { });
            assertThat(dry.refused()).isEqualTo(3);
            assertThat(f.db().dsl().fetchCount(ADMISSION_PENDING)).isZero();

            CodeAssigner.Result result = assigner(f).assign(run(Policy.DEFAULT, false), n -> { });
            assertThat(result.examined()).isEqualTo(5);
            assertThat(result.refused()).isEqualTo(3);
            assertThat(result.newCodes()).isEqualTo(2);
            PendingRecords.Queue queue = PendingRecords.list(f.db().dsl(), null, 100);
            assertThat(queue.total()).isEqualTo(3);
            assertThat(queue.perChannel()).containsEntry("web", 3L);
            assertThat(queue.records()).extracting(PendingRecords.Pending::sourceKey)
                    .containsExactlyInAnyOrder("W2", "W3", "W4");
            assertThat(queue.records()).filteredOn(p -> p.sourceKey().equals("W3")).first()
                    .extracting(PendingRecords.Pending::reasons)
                    .isEqualTo("no valid id_number or mobile or phone or email");
            assertThat(queue.records()).filteredOn(p -> p.sourceKey().equals("W4")).first()
                    .extracting(PendingRecords.Pending::reasons).isEqualTo("no valid uscc or org_code or "
                            + "business_licence");
            // no value is kept with a reason, and the refusals are audited under the policy's version
            assertThat(queue.records()).allSatisfy(p -> assertThat(p.reasons()).doesNotContain("1101051949"));
            assertThat(f.db().dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("codes.refuse"))).isEqualTo(2);
            assertThat(f.db().dsl().fetchCount(CUSTOMER_LINK)).isEqualTo(2);

            // nothing new and the same policy: nothing examined again
            assertThat(assigner(f).assign(run(Policy.DEFAULT, false), n -> { }).examined()).isZero();

            // the channel delivers W2 again with a mobile: it is admitted, and leaves the queue
            f.load("web", HEADER + "W2,PERSON,周六,,13912345678,\n");
            CodeAssigner.Result redelivered = assigner(f).assign(run(Policy.DEFAULT, false), n -> { });
            assertThat(redelivered.examined()).isEqualTo(1);
            assertThat(redelivered.newCodes()).isEqualTo(1);
            assertThat(PendingRecords.list(f.db().dsl(), null, 100).records())
                    .extracting(PendingRecords.Pending::sourceKey).containsExactlyInAnyOrder("W3", "W4");

            // a policy that asks organisations for a name only admits W4, and W3 stays (re-examined, refused again)
            Policy lenient = PolicyFile.parse("admission:\n  PERSON: {require: [name], any_of: [[id_number, "
                    + "mobile]]}\n  ORG: {require: [name]}\n", "lenient.yaml", 2);
            CodeAssigner.Result relaxed = assigner(f).assign(run(lenient, false), n -> { });
            assertThat(relaxed.examined()).isEqualTo(2);
            assertThat(relaxed.refused()).isEqualTo(1);
            assertThat(relaxed.newCodes()).isEqualTo(1);
            PendingRecords.Queue left = PendingRecords.list(f.db().dsl(), null, 100);
            assertThat(left.records()).extracting(PendingRecords.Pending::sourceKey).containsExactly("W3");
            assertThat(left.records().get(0).policyVersion()).isEqualTo(2);
            assertThat(f.db().dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.ACTION.eq("codes.assign")).orderBy(AUDIT_EVENT.SEQ.desc()).limit(1)
                    .fetchOne(AUDIT_EVENT.DETAIL)).contains("\"policy_version\":2");
            // under the same policy again, W3 is not examined again
            assertThat(assigner(f).assign(run(lenient, false), n -> { }).examined()).isZero();
        }
    }
}
