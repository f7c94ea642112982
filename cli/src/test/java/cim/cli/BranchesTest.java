package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The branch that collected a record (机构代码) and when (采集时间): stored, shown, exported, filtered on, and the
 * breakdown of quality results; timeliness counts from when the channel collected a record.
 */
class BranchesTest {
    private static final String AGENT = "客户编号,姓名,证件号码,手机号,机构代码,采集时间\n"
            + "A1,张三,11010519491231002X,13812341234,3201,2026-11-01\n"
            + "A2,李四,110105198503070027,13900001111,3301,2020-01-02 09:30\n"
            + "A3,王五,110105199002150012,13712345678,3201,yesterday\n"
            + "A4,赵六,110105197508210020,13600001234,,2999-01-01\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void branchesAndCollectionTimesAreKeptShownAndUsed(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", AGENT);
            cim.require("channels", "set", "agent", "--owner", "个人业务部", "--reason", "named");
            cim.require("codes", "assign");

            Path source = db.directory().resolve("source.csv");
            cim.require("export", "--scope", "source", "--branch", "3201", "--out", source.toString());
            java.util.List<String> lines = Files.readAllLines(source);
            assertThat(lines.get(0)).endsWith(",branch,collected_at");
            assertThat(lines).hasSize(3);
            assertThat(lines.get(1)).startsWith("\"agent\",\"A1\",").contains(",\"3201\",\"2026-");
            // a time that is none, or later than the import, is not kept: flagged with why
            assertThat(lines.get(2)).startsWith("\"agent\",\"A3\",").endsWith(",\"3201\",\"\"")
                    .contains("collected_at").contains("not a date or time");
            Path golden = db.directory().resolve("golden.csv");
            assertThat(cim.require("export", "--branch", "3301", "--out", golden.toString(), "-o", "json").out())
                    .contains("\"rows\":1");

            String code = cim.require("codes", "xref", "--source", "agent", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("agent,A1,")).findFirst().orElseThrow().split(",")[2];
            assertThat(cim.require("codes", "show", code).out()).containsPattern("agent +A1 +3201 +2026-11-01");
            assertThat(cim.require("codes", "show", code, "-o", "json").out()).contains("\"branch\":\"3201\"",
                    "\"collected_at\":\"2026-");

            CliRunner.Result byBranch = cim.run("quality", "check", "--by", "branch", "-o", "json");
            assertThat(byBranch.out()).contains("\"scope\":\"source\"", "\"branches\":[", "\"branch\":\"3201\"",
                    "\"branch\":\"3301\"", "\"branch\":\"(no branch)\"").doesNotContain("\"channels\":");
            // timeliness counts from 2020-01-02, when the channel collected A2, not from its loading today
            assertThat(byBranch.out()).containsPattern("\"id\":\"record.stale\"[^}]*\"checked\":4,\"failed\":1");
            assertThat(cim.run("quality", "check", "--by", "branch").out()).contains("Per branch:");
            CliRunner.Result byChannel = cim.run("quality", "check", "--by", "channel", "-o", "json");
            assertThat(byChannel.out()).contains("\"channel\":\"agent\",\"owner\":\"个人业务部\"");
            assertThat(cim.run("quality", "check", "--by", "channel").out()).containsPattern("agent +个人业务部");
            assertThat(cim.run("quality", "check", "--by", "channel", "--scope", "customer").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("quality", "check", "--by", "region").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("quality", "check", "--scope", "source", "--where", "branch=3301", "-o", "json")
                    .out()).contains("\"records\":1");
        }
    }
}
