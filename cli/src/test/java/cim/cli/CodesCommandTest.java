package cim.cli;

import cim.core.codes.CustomerCode;
import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** codes through the front door, on both backends. */
class CodesCommandTest {
    private static final String CSV = "source_key,name,gender,birth_date,id_number,mobile,address\r\n"
            + "A1,张丽,女,1949-12-31,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n"
            + "A2,李娜,女,1985-03-04,,13900000001,上海市徐汇区人民路3号\r\n";
    private static final String WEB = "source_key,name,id_number,mobile,address\r\n"
            + "W1,章莉,11010519491231002x,,朝阳区中山路1号\r\n"
            + "W2,李娜,,13900000001,上海市徐汇区人民路3号\r\n"
            + "W3,王芳,,13700000009,\r\n";

    /**
     * A role that may update customers copies one customer's sealed values into another's golden record and rewrites
     * its provenance to name the victim's record: neither codes show nor export opens them under the wrong code (the
     * reveal would be audited under it), since the named record is not one of that customer's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aGoldenValueOpensOnlyAgainstOneOfItsCustomersRecords(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV);
            cim.require("codes", "assign");
            CliRunner.Result xref = cim.run("codes", "xref", "-o", "csv");
            String victim = code(xref.out(), "agent,A1");
            String other = code(xref.out(), "agent,A2");
            try (cim.core.db.Database database = db.open()) {
                database.dsl().execute("UPDATE customer SET id_number = (SELECT id_number FROM customer WHERE code = ?), "
                        + "mobile = (SELECT mobile FROM customer WHERE code = ?), provenance = ? WHERE code = ?",
                        victim, victim, "{\"*\":\"agent/A2#1\",\"id_number\":\"agent/A1#1\",\"mobile\":"
                                + "\"agent/A1#1\"}", other);
            }
            CliRunner.Result shown = cim.run("codes", "show", other, "--mask", "none", "--reason", "complaint 7");
            assertThat(shown.exit()).as(shown.toString()).isZero();
            assertThat(shown.out()).doesNotContain("11010519491231002X").doesNotContain("13812341234")
                    .contains("(unreadable)");
            assertThat(shown.err()).contains("did not open");
            Path out = db.directory().resolve("all.csv");
            CliRunner.Result exported = cim.run("export", "--out", out.toString(), "--mask", "none", "--reason", "r");
            assertThat(exported.exit()).as(exported.toString()).isZero();
            assertThat(Files.readString(out).lines().filter(l -> l.contains(other)).findFirst().orElseThrow())
                    .doesNotContain("11010519491231002X").doesNotContain("13812341234");
            assertThat(Files.readString(out)).as("the victim's own record still shows them")
                    .contains("11010519491231002X");
        }
    }

    /**
     * After a chain of merges (B into A, then A into C), unmerging B's record gives it B back, the code it was given
     * first, never A, which belonged to another person.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void unmergeAfterAChainOfMergesGivesTheRecordItsOwnCode(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile\r\nKA,王一,13800000011\r\n"
                    + "KB,李二,13900000022\r\nKC,赵三,13700000033\r\n");
            cim.require("codes", "assign");
            String xref = cim.run("codes", "xref", "-o", "csv").out();
            String a = code(xref, "agent,KA");
            String b = code(xref, "agent,KB");
            String c = code(xref, "agent,KC");
            cim.require("codes", "merge", a, b, "--reason", "one household");
            cim.require("codes", "merge", c, a, "--reason", "one household");
            CliRunner.Result undo = cim.run("codes", "unmerge", "--source", "agent", "--key", "KB", "--reason", "undo",
                    "-o", "json");
            assertThat(undo.exit()).as(undo.toString()).isZero();
            assertThat(undo.out()).contains("\"new_code\":\"" + b + "\"").doesNotContain("\"new_code\":\"" + a);
            String after = cim.run("codes", "xref", "-o", "csv").out();
            assertThat(code(after, "agent,KA")).isEqualTo(c);
            assertThat(code(after, "agent,KB")).isEqualTo(b);
            assertThat(cim.run("codes", "show", a).out()).contains("redirects to " + c);
        }
    }

    /**
     * {@code --engine}: only single or spark, the Spark options only with spark, and without the Spark engine built
     * (cim's own jar never holds it) a configuration error naming the build command.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theSparkEngineIsAskedForExplicitlyAndNamedWhenAbsent(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV);
            CliRunner.Result other = cim.run("codes", "assign", "--engine", "flink");
            assertThat(other.exit()).as(other.toString()).isEqualTo(2);
            assertThat(other.err()).contains("--engine flink: single or spark");
            CliRunner.Result master = cim.run("codes", "assign", "--spark-master", "local[2]");
            assertThat(master.exit()).as(master.toString()).isEqualTo(2);
            assertThat(master.err()).contains("--spark-master is for --engine spark");
            CliRunner.Result partitions = cim.run("codes", "assign", "--engine", "spark", "--partitions", "-1");
            assertThat(partitions.exit()).as(partitions.toString()).isEqualTo(2);
            CliRunner.Result absent = cim.run("codes", "assign", "--engine", "spark");
            assertThat(absent.exit()).as(absent.toString()).isEqualTo(78);
            assertThat(absent.err()).contains("the spark engine is not installed").contains("mvn -B -Pspark");
            assertThat(cim.run("codes", "xref", "-o", "csv").out().lines().count()).as("nothing coded").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void assignShowXrefMergeAndTheirRefusals(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV).channels("web");
            Path web = Files.writeString(db.directory().resolve("web.csv"), WEB);
            cim.require("import", web.toString(), "--source", "web");

            CliRunner.Result assign = cim.run("codes", "assign", "-o", "json");
            assertThat(assign.exit()).as(assign.toString()).isZero();
            assertThat(assign.out()).contains("\"examined\":5,\"linked\":2,\"new_codes\":3,\"merged\":0,\"review\":0");
            assertThat(cim.run("codes", "assign", "-o", "json").out()).contains("\"examined\":0");

            CliRunner.Result xref = cim.run("codes", "xref", "-o", "csv");
            assertThat(xref.out()).startsWith("source_system,source_key,customer_code");
            String zhang = code(xref.out(), "agent,A1");
            assertThat(code(xref.out(), "web,W1")).as("the same valid ID number").isEqualTo(zhang);
            assertThat(code(xref.out(), "web,W2")).as("name, mobile and address").isEqualTo(code(xref.out(), "agent,A2"));

            CliRunner.Result show = cim.run("codes", "show", zhang);
            assertThat(show.exit()).as(show.toString()).isZero();
            assertThat(show.out()).contains(zhang).contains("1****************X").contains("138****1234")
                    .contains("agent,web").contains("id_number").contains("same valid number")
                    .doesNotContain("11010519491231002X").doesNotContain("13812341234");
            CliRunner.Result json = cim.run("codes", "show", zhang, "-o", "json");
            assertThat(json.out()).as("every golden field's record, as an object, not a string holding JSON")
                    .contains("\"provenance\":{").contains("\"mobile\":\"agent/A1#1\"", "\"address\":\"agent/A1#1\"",
                            "\"gender\":\"agent/A1#1\"").doesNotContain("\\\"mobile\\\"")
                    .containsPattern("\"explanation\":(\\{|null)");
            assertThat(show.out()).as("the table shows where each value came from").contains("Golden record:")
                    .containsPattern("mobile\\s+138\\*\\*\\*\\*1234\\s+agent/A1#1");

            String wang = code(xref.out(), "web,W3");
            CliRunner.Result merge = cim.run("codes", "merge", zhang, wang, "--reason", "same household account",
                    "-o", "json");
            assertThat(merge.exit()).as(merge.toString()).isZero();
            assertThat(cim.run("codes", "show", wang).out()).contains(wang + " was merged: it redirects to " + zhang);
            assertThat(cim.run("audit", "log", "--customer", wang).out()).contains("codes.merge");

            CliRunner.Result self = cim.run("codes", "merge", zhang, zhang, "--reason", "x");
            assertThat(self.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(self.err()).contains("ERROR:").contains("into itself");
            CliRunner.Result merged = cim.run("codes", "merge", zhang, wang, "--reason", "x");
            assertThat(merged.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(merged.err()).contains("was merged into " + zhang);

            String typo = zhang.substring(0, 10) + (zhang.charAt(10) == '0' ? '1' : '0');
            CliRunner.Result wrong = cim.run("codes", "show", typo);
            assertThat(wrong.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(wrong.err()).contains("check character").contains("did you mean " + zhang);
            CliRunner.Result unknown = cim.run("codes", "show", CustomerCode.of(false, 999_999).value());
            assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(unknown.err()).contains("no customer");

            CliRunner.Result unmerge = cim.run("codes", "unmerge", "--source", "web", "--key", "W1", "--reason",
                    "different person", "-o", "json");
            assertThat(unmerge.exit()).as(unmerge.toString()).isZero();
            assertThat(unmerge.out()).contains("\"from\":\"" + zhang + "\"");
            assertThat(cim.run("codes", "unmerge", "--source", "web", "--key", "nope", "--reason", "x").exit())
                    .isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("codes", "review", "-o", "json").out()).contains("\"items\":[]");

            // unmerging the record a merge brought in undoes the merge: its code comes back, and no longer redirects
            CliRunner.Result undo = cim.run("codes", "unmerge", "--source", "web", "--key", "W3", "--reason",
                    "merged by mistake", "-o", "json");
            assertThat(undo.exit()).as(undo.toString()).isZero();
            assertThat(undo.out()).contains("\"new_code\":\"" + wang + "\"").contains("\"restored\":true");
            CliRunner.Result back = cim.run("codes", "show", wang);
            assertThat(back.exit()).isZero();
            assertThat(back.out()).doesNotContain("redirects").contains("web").contains("W3");
            assertThat(cim.run("codes", "xref", "-o", "csv").out()).contains("web,W3," + wang);
        }
    }

    /**
     * Agent record T1 with policy A-1 and web record T2 with policy B-2, for the same ID: the customer holds both
     * policies, and both (tier-1, sealed) accounts, each with the record it came from; a reclassification and an
     * export open the combined value; unmerging T2 takes its items out again. Before, only A-1 was shown.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void listsFromSeveralChannelsAreCombinedWithTheirRecords(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            Path keyset = db.directory().resolve("keyset.json");
            CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url())
                    .env("CIM_KEYSET", keyset.toString());
            cim.require("keys", "init", "--out", keyset.toString());
            cim.require("db", "migrate");
            cim.channels("agent", "web");
            Path agent = Files.writeString(db.directory().resolve("agent.jsonl"), "{\"source_key\":\"T1\",\"name\":"
                    + "\"张丽\",\"id_number\":\"11010519491231002X\",\"policies\":[{\"policy_no\":\"A-1\"}],"
                    + "\"accounts\":[{\"bank\":\"工行\",\"number\":\"6222020200112233445\"}]}\n");
            Path web = Files.writeString(db.directory().resolve("web.jsonl"), "{\"source_key\":\"T2\",\"name\":"
                    + "\"张丽\",\"id_number\":\"11010519491231002X\",\"policies\":[{\"policy_no\":\"B-2\"},"
                    + "{\"policy_no\":\"A-1\"}],\"accounts\":[{\"number\":\"4111111111111111\"}]}\n");
            cim.require("import", agent.toString(), "--source", "agent");
            cim.require("import", web.toString(), "--source", "web");
            cim.require("codes", "assign");
            String code = code(cim.run("codes", "xref", "-o", "csv").out(), "agent,T1");
            assertThat(code(cim.run("codes", "xref", "-o", "csv").out(), "web,T2")).isEqualTo(code);

            CliRunner.Result json = cim.run("codes", "show", code, "--mask", "none", "--reason", "complaint 8",
                    "-o", "json");
            assertThat(json.exit()).as(json.toString()).isZero();
            assertThat(json.out()).contains("A-1", "B-2", "6222020200112233445", "4111111111111111")
                    .contains("\"policies\":[[\"agent/T1#1\",\"web/T2#2\"],[\"web/T2#2\"]]")
                    // the valid account first: the agent's number fails the Luhn check
                    .contains("\"accounts\":[[\"web/T2#2\"],[\"agent/T1#1\"]]");
            assertThat(cim.run("codes", "show", code).out()).as("the table names each record with its items")
                    .containsPattern("policies .* agent/T1#1 \\(1 item\\), web/T2#2 \\(2 items\\)");

            cim.require("tiers", "set", "accounts", "--tier", "2", "--reason", "policy 2026", "--allow-reveal");
            cim.require("tiers", "set", "accounts", "--tier", "1", "--reason", "policy 2026");
            Path out = db.directory().resolve("all.jsonl");
            CliRunner.Result exported = cim.run("export", "--out", out.toString(), "--mask", "none", "--reason", "r");
            assertThat(exported.exit()).as(exported.toString()).isZero();
            assertThat(exported.err()).doesNotContain("did not open");
            assertThat(Files.readString(out)).contains("6222020200112233445", "4111111111111111", "B-2");

            cim.require("codes", "unmerge", "--source", "web", "--key", "T2", "--reason", "another person");
            CliRunner.Result after = cim.run("codes", "show", code, "--mask", "none", "--reason", "complaint 8",
                    "-o", "json");
            assertThat(after.out()).contains("A-1", "6222020200112233445").doesNotContain("B-2")
                    .doesNotContain("4111111111111111");
        }
    }

    private static String code(String csv, String record) {
        return csv.lines().filter(l -> l.startsWith(record + ",")).findFirst().orElseThrow().split(",")[2];
    }
}
