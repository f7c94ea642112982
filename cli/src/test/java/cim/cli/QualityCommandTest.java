package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** quality through the front door, on both backends. */
class QualityCommandTest {
    private static final String CSV = "source_key,name,gender,birth_date,id_number,mobile,email,address,postal_code\r\n"
            + "A1,张丽,女,1949-12-31,11010519491231002X,13812341234,zhang@example.cn,北京市朝阳区中山路1号,100020\r\n"
            + "A2,李娜,女,1985-03-07,110105198503070027,13900001111,li@example.cn,上海市徐汇区人民路3号,200030\r\n"
            + "A3,王芳,男,1985-03-07,110105198503070027,13900002222,wang.at.example.cn,上海市徐汇区人民路3号,200030\r\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void checkExitsOneOnAFailLevelBreachAndSpeaksJunit(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV);

            Path failures = db.directory().resolve("failures.csv");
            CliRunner.Result source = cim.run("quality", "check", "--scope", "source", "--failures",
                    failures.toString(), "-o", "json");
            assertThat(source.exit()).as(source.toString()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(source.out()).startsWith("{\"ok\":false,\"command\":\"quality check\",\"data\":{\"run\":1,"
                    + "\"scope\":\"source\"").contains("\"id\":\"contact.email.valid\"").contains("\"channel\":\"agent\"")
                    .contains("\"error\":{\"exit\":1,\"message\":\"quality check failed:");
            assertThat(source.err()).contains("ERROR: quality check failed: ").contains("contact.email.valid")
                    .contains("person.gender.matches_id");
            assertThat(Files.readString(failures)).contains("\"A3\",\"agent\",\"contact.email.valid\",\"email\"")
                    .doesNotContain("wang.at.example.cn").doesNotContain("110105198503070027");

            Path rules = Files.writeString(db.directory().resolve("rules.yaml"), "rules:\n"
                    + "  contact.email.valid: {severity: warn}\n"
                    + "  person.gender.matches_id: {waivers: [A3]}\n");
            CliRunner.Result relaxed = cim.run("quality", "check", "--scope", "source", "--rules", rules.toString());
            assertThat(relaxed.exit()).as(relaxed.toString()).isZero();
            assertThat(relaxed.err()).contains("warning: ").contains("contact.email.valid");
            assertThat(relaxed.out()).contains("Per channel:").contains("agent");
            assertThat(cim.run("quality", "check", "--scope", "source", "--rules", rules.toString(), "--strict").exit())
                    .as("--strict: warnings fail").isEqualTo(ExitCode.CHECK_FAILED.code());

            CliRunner.Result json = cim.run("quality", "check", "--scope", "source", "--rules", rules.toString(),
                    "--format", "json");
            assertThat(json.exit()).as(json.toString()).isZero();
            assertThat(json.out()).as("--format json is JSON on stdout, for jq").startsWith("{\"ok\":true,"
                    + "\"command\":\"quality check\",\"data\":{").doesNotContain("Per channel:");

            Path junit = db.directory().resolve("quality.xml");
            CliRunner.Result xml = cim.run("quality", "check", "--scope", "source", "--format", "junit", "--out",
                    junit.toString());
            assertThat(xml.exit()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(Files.readString(junit)).startsWith("<?xml").contains("<testsuite name=\"cim quality source\"")
                    .contains("<testcase classname=\"validity\" name=\"contact.email.valid\">")
                    .contains("<failure message=\"1 of 3 failed");

            Path bad = Files.writeString(db.directory().resolve("bad.yaml"), "rules:\n  contact.email.valid:\n"
                    + "    threshold: many\n");
            CliRunner.Result invalid = cim.run("quality", "check", "--rules", bad.toString());
            assertThat(invalid.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(invalid.err()).contains("ERROR: " + bad + ":3: threshold must be");

            Path oracle = Files.writeString(db.directory().resolve("oracle.yaml"), "custom:\n"
                    + "  - {id: p4, field: id_number, check: regex, pattern: '.{3}7.*'}\n");
            Path leaked = db.directory().resolve("leaked.csv");
            CliRunner.Result refused = cim.run("quality", "check", "--scope", "source", "--rules", oracle.toString(),
                    "--failures", leaked.toString());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(refused.err()).contains("ERROR: " + oracle + ":2: custom rule p4 on id_number, a tier-1 field")
                    .contains("hint: ").contains("waive_keys").contains("--reason");
            assertThat(leaked).doesNotExist();
            CliRunner.Result steward = cim.run("quality", "check", "--scope", "source", "--rules", oracle.toString(),
                    "--reason", "INC-4");
            assertThat(steward.exit()).as(steward.toString()).isIn(0, 1);
            assertThat(cim.run("audit", "log", "--action", "quality.check", "-o", "json", "--limit", "1").out())
                    .contains("\"reason\":\"INC-4\"").contains("\"reveals\":[\"" + oracle + ":2: custom rule p4");

            assertThat(cim.run("codes", "assign").exit()).isZero();
            CliRunner.Result golden = cim.run("quality", "check", "-o", "json");
            assertThat(golden.out()).contains("\"scope\":\"customer\"").contains("\"id\":\"person.id_number.unique\"");
            CliRunner.Result history = cim.run("quality", "history");
            assertThat(history.exit()).isZero();
            assertThat(history.out()).contains("source").contains("customer").contains("fail");
            assertThat(cim.run("quality", "history", "--rule", "contact.email.valid", "--source", "agent").out())
                    .contains("agent");
            assertThat(cim.run("audit", "log", "--action", "quality.*").out()).contains("quality.check");
            assertThat(cim.run("quality", "check", "--where", "colour=red").exit()).isEqualTo(ExitCode.USAGE.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void historyShowsTheSameRunsToPeopleAndInJson(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV);
            cim.run("quality", "check", "--scope", "source");
            assertThat(cim.require("quality", "history", "-o", "csv").out()).startsWith(
                    "run,started,scope,filter,score,status,actor\r\n1,").contains(",source,,").contains(",fail,");
            assertThat(cim.require("quality", "history", "-o", "json").out()).matches(
                    "\\{\"ok\":true,\"command\":\"quality history\",\"data\":\\{\"runs\":\\[\\{\"run\":1,"
                    + "\"started_at\":\"[0-9T:.+-]+Z?\",\"scope\":\"source\",\"filter\":null,\"score\":[0-9.]+,"
                    + "\"status\":\"fail\",\"actor\":\"[^\"]+\"}]}}\\s*");
            assertThat(cim.require("quality", "history", "--rule", "contact.email.valid", "-o", "csv").out())
                    .startsWith("run,started,channel,checked,failed,ratio,status\r\n1,").contains(",all,3,1,0.333333,");
            assertThat(cim.require("quality", "history", "--rule", "contact.email.valid", "--source", "agent",
                    "-o", "json").out()).matches(".*\"runs\":\\[\\{\"run\":1,\"started_at\":\"[^\"]+\","
                    + "\"channel\":\"agent\",\"checked\":3,\"failed\":1,\"ratio\":0\\.333333,\"status\":\"fail\"}].*\\s*");
        }
    }
}
