package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Relations through the front door: codes show lists a customer's, codes related an agent's customers. */
class RelationsCommandTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void relationsShowAsCustomerCodes(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,id_number,mobile\n"
                    + "AG7,王经理,110105197001010019,13700001111\nA2,李四,110105198503070027,13900001111\n")
                    .channels("web");
            Path web = Files.writeString(db.directory().resolve("web.jsonl"), "{\"source_key\":\"W1\",\"name\":"
                    + "\"张三\",\"id_number\":\"11010519491231002X\",\"relations\":[{\"type\":\"spouse\","
                    + "\"source_system\":\"agent\",\"source_key\":\"A2\"},{\"type\":\"sales_agent\",\"id_number\":"
                    + "\"110105197001010019\"}]}\n");
            cim.require("import", web.toString(), "--source", "web");
            cim.require("codes", "assign");
            String zhang = code(cim, "web", "W1");
            String li = code(cim, "agent", "A2");
            String agent = code(cim, "agent", "AG7");

            assertThat(cim.require("codes", "show", zhang, "-o", "json").out()).contains("\"relations\":[{\"type\":"
                    + "\"spouse\",\"code\":\"" + li + "\",\"name\":\"李四\"},{\"type\":\"sales_agent\",\"code\":\""
                    + agent + "\",\"name\":\"王经理\"}]");
            assertThat(cim.require("codes", "show", zhang, "--mask", "tier2").out()).contains("Relations:")
                    .containsPattern("spouse +" + li + " +李\\*").doesNotContain("李四");
            CliRunner.Result customers = cim.require("codes", "related", agent, "--type", "sales_agent", "-o",
                    "json");
            assertThat(customers.out()).contains("\"customers\":[{\"code\":\"" + zhang + "\",\"name\":\"张三\","
                    + "\"type\":\"sales_agent\"}]");
            assertThat(cim.require("codes", "related", li, "--mask", "tier2").out())
                    .containsPattern(zhang + " +张\\* +spouse");
            assertThat(cim.run("codes", "related", agent, "--type", "friend").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("codes", "related", agent, "--mask", "none").exit()).isEqualTo(ExitCode.USAGE.code());
        }
    }

    private static String code(CliRunner cim, String channel, String key) {
        return cim.require("codes", "xref", "--source", channel, "-o", "csv").out().lines()
                .filter(l -> l.startsWith(channel + "," + key + ",")).findFirst().orElseThrow().split(",")[2];
    }
}
