package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy through the front door: the default refuses a name alone, the refused wait in 'codes pending', a
 * policy set from YAML (checked whole, file:line on a mistake) admits them in the next run, every version is
 * audited, and one edited in the database stops the commands that apply it.
 */
class PolicyCommandTest {
    private static final String RECORDS = "source_key,customer_type,name,id_number,mobile\n"
            + "K1,PERSON,张三,11010519491231002X,\n"
            + "K6,ORG,某公司,,\n"
            + "J6,PERSON,周六,,\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void admissionRefusesUntilThePolicyOrTheChannelSaysOtherwise(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "web", RECORDS);
            CliRunner.Result assigned = cim.require("codes", "assign", "-o", "json");
            assertThat(assigned.out()).contains("\"new_codes\":1", "\"refused\":2", "\"policy_version\":0");
            CliRunner.Result pending = cim.require("codes", "pending");
            assertThat(pending.out()).contains("K6", "no valid uscc or org_code or business_licence", "J6",
                    "no valid id_number or mobile or phone or email");
            assertThat(cim.require("codes", "pending", "--counts").out()).containsPattern("web +2");
            assertThat(cim.require("codes", "pending", "--source", "agent", "-o", "json").out())
                    .contains("\"total\":0");
            // a quality rule counts them, per channel in the source scope; golden records are not checked for it
            CliRunner.Result quality = cim.run("quality", "check", "--scope", "source", "-o", "json");
            assertThat(quality.out()).containsPattern("\"id\":\"record.admitted\"[^}]*\"checked\":3,\"failed\":2")
                    .contains("\"channel\":\"web\",\"owner\":\"test department\",\"id\":\"record.admitted\"");
            assertThat(cim.run("quality", "check", "-o", "json").out()).doesNotContain("record.admitted");

            // a mistake names file:line and stores nothing
            Path bad = Files.writeString(db.directory().resolve("bad.yaml"), "admission:\n  ORG: {require: [nmae]}\n");
            CliRunner.Result refused = cim.run("policy", "set", bad.toString(), "--reason", "typo");
            assertThat(refused.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(refused.err()).startsWith("ERROR: " + bad + ":2: unknown field 'nmae' in require");
            assertThat(cim.run("policy", "set", bad.toString(), "--check").exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(cim.run("policy", "set", bad.toString()).exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.require("policy", "show", "-o", "json").out()).contains("\"version\":0",
                    "\"built_in\":true");

            // a policy that lets organisations in on a name: K6 gets its code, J6 still waits
            Path lenient = Files.writeString(db.directory().resolve("lenient.yaml"), "admission:\n"
                    + "  PERSON: {require: [name], any_of: [[id_number, mobile]]}\n  ORG: {require: [name]}\n");
            assertThat(cim.require("policy", "set", lenient.toString(), "--check").out()).contains("ok");
            assertThat(cim.require("policy", "set", lenient.toString(), "--reason", "pilot", "-o", "json").out())
                    .contains("\"version\":1");
            assertThat(cim.require("codes", "assign", "-o", "json").out()).contains("\"examined\":2",
                    "\"new_codes\":1", "\"refused\":1", "\"policy_version\":1");
            assertThat(cim.require("codes", "pending", "-o", "json").out()).contains("\"total\":1",
                    "\"source_key\":\"J6\"").doesNotContain("K6");
            assertThat(cim.require("policy", "show").out()).contains("admission ORG     name\n");
            assertThat(cim.require("policy", "show", "--yaml").out()).isEqualTo(Files.readString(lenient));
            assertThat(cim.require("policy", "history").out()).contains("pilot", "ok");
            assertThat(cim.require("audit", "log", "--action", "policy.set").out()).contains("pilot");

            // the channel delivers J6 again with a mobile
            Path again = Files.writeString(db.directory().resolve("again.csv"), "source_key,name,mobile\n"
                    + "J6,周六,13912345678\n");
            cim.require("import", again.toString(), "--source", "web");
            assertThat(cim.require("codes", "assign", "-o", "json").out()).contains("\"new_codes\":1",
                    "\"refused\":0");
            assertThat(cim.require("codes", "pending", "-o", "json").out()).contains("\"total\":0");

            // thresholds and trust from the command line only in a dry run
            assertThat(cim.run("codes", "assign", "--link-threshold", "5").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.require("codes", "assign", "--link-threshold", "5", "--dry-run").exit()).isZero();
            CliRunner.Result trust = cim.with("CIM_TRUST", "web,agent").run("codes", "assign");
            assertThat(trust.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(trust.err()).contains("--trust", "CIM_TRUST", "cim policy set");
            assertThat(cim.with("CIM_TRUST", "web,agent").run("codes", "assign", "--dry-run").exit()).isZero();

            // a DBA who edits the policy in the database stops every run that applies it
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("UPDATE customer_policy SET body = 'admission: {}' WHERE version = 1");
            }
            CliRunner.Result tampered = cim.run("codes", "assign");
            assertThat(tampered.exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(tampered.err()).contains("the policy was changed outside cim");
            assertThat(cim.require("policy", "history").out()).contains("changed outside cim");
        }
    }
}
