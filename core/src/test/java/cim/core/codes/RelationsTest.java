package cim.core.codes;

import cim.core.codes.CodesFixtures.Fixture;
import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static cim.core.db.schema.Tables.RECORD_RELATION;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relations resolve to customer codes: to a record of any channel or an identifier; after merges and unmerges they
 * point at the customer the other party is now; an agent's customers are found the other way round.
 */
class RelationsTest {
    private static final String USCC = "91350100M000100Y43";

    private static String relations(String json) {
        return "\"" + json.replace("\"", "\"\"") + "\"";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void relationsResolveToTheCustomersTheOtherPartiesAreNow(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            Fixture f = Fixture.open(testDb);
            f.load("web", "source_key,customer_type,name,uscc\nW1,ORG,某科技有限公司," + USCC + "\n"
                    + "W2,PERSON,李娜,\n");
            f.load("agent", "source_key,name,id_number,mobile,relations\n"
                    + "A1,张三,11010519491231002X,13812341234," + relations("[{\"type\":\"spouse\",\"source_key\":"
                    + "\"A2\"},{\"type\":\"employer\",\"uscc\":\"" + USCC + "\"},{\"type\":\"sales_agent\","
                    + "\"source_key\":\"AG7\"},{\"type\":\"friend\",\"source_key\":\"A2\"},{\"type\":\"child\","
                    + "\"id_number\":\"110105201001010011\"}]") + "\n"
                    + "A2,李四,110105198503070027,13900001111,\n"
                    + "AG7,王经理,110105197001010019,13700001111,\n");
            var a1 = f.db().dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A1")).fetchSingle();
            assertThat(a1.getIssues()).as("the bad item is flagged at import, by number").contains("\"relations\"",
                    "item 4: unknown type");
            new CodeAssigner(f.db(), CodesFixtures.AUDIT, f.protector()).assign(CodesFixtures.options(false),
                    n -> { });
            CodeLookup codes = new CodeLookup(f.db().dsl());
            String zhang = codes.codeOf("agent", "A1").value();
            String li = codes.codeOf("agent", "A2").value();
            String agent = codes.codeOf("agent", "AG7").value();
            String company = codes.codeOf("web", "W1").value();
            assertThat(Relations.of(f.db().dsl(), zhang)).containsExactly(new Relations.Related("spouse", li),
                    new Relations.Related("employer", company), new Relations.Related("sales_agent", agent));
            assertThat(f.db().dsl().fetchCount(RECORD_RELATION, RECORD_RELATION.TARGET_BIDX.isNotNull()))
                    .as("the employer and the child, by their blind indexes").isEqualTo(2);
            // another party's identifier is kept as its blind index only, in the record as in the golden record
            assertThat(a1.getRelations()).contains("\"id_number_bidx\"", "\"uscc_bidx\"")
                    .doesNotContain("110105201001010011", USCC);
            assertThat(f.db().dsl().select(RECORD_RELATION.TARGET_BIDX).from(RECORD_RELATION).fetch().toString())
                    .doesNotContain("110105201001010011");

            // an agent's customers, and an employer's employees, the other way round
            assertThat(Relations.pointingAt(f.db().dsl(), agent, "sales_agent"))
                    .containsExactly(new Relations.Related("sales_agent", zhang));
            assertThat(Relations.pointingAt(f.db().dsl(), company, null))
                    .containsExactly(new Relations.Related("employer", zhang));
            assertThat(Relations.pointingAt(f.db().dsl(), zhang, null)).isEmpty();

            // the child's record arrives later: the relation resolves to it
            f.load("web", "source_key,name,id_number\nW3,张小三,110105201001010011\n");
            new CodeAssigner(f.db(), CodesFixtures.AUDIT, f.protector()).assign(CodesFixtures.options(false),
                    n -> { });
            String child = codes.codeOf("web", "W3").value();
            assertThat(Relations.of(f.db().dsl(), zhang)).contains(new Relations.Related("child", child));

            // 李四 merged into 李娜's code: the spouse is that customer now; unmerged: back to 李四's own code
            String lina = codes.codeOf("web", "W2").value();
            Steward steward = new Steward(f.db(), CodesFixtures.AUDIT, f.protector(), ChannelTrust.parse(null));
            steward.merge(CustomerCode.parse(lina), CustomerCode.parse(li), "same person");
            assertThat(Relations.of(f.db().dsl(), zhang)).contains(new Relations.Related("spouse", lina))
                    .doesNotContain(new Relations.Related("spouse", li));
            Steward.Split split = steward.unmerge("agent", "A2", "not the same person after all");
            assertThat(Relations.of(f.db().dsl(), zhang))
                    .contains(new Relations.Related("spouse", split.newCode()));

            // a new version of A1 without relations takes them back
            f.load("agent", "source_key,name,id_number,mobile\nA1,张三,11010519491231002X,13812341234\n");
            new CodeAssigner(f.db(), CodesFixtures.AUDIT, f.protector()).assign(CodesFixtures.options(false),
                    n -> { });
            assertThat(Relations.of(f.db().dsl(), zhang)).isEqualTo(List.of());
        }
    }
}
