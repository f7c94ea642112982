package cim.cli;

import cim.core.db.Backend;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The foundation commands, through the front door, on both backends. */
class CommandsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void migrateThenStatusThenAuditTrail(Backend backend) {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = keyed(new CliRunner(db.directory()).env("CIM_DB_URL", db.url()), db);

            CliRunner.Result notYet = cim.run("audit", "log");
            assertThat(notYet.exit()).as(notYet.toString()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(notYet.err()).startsWith("ERROR: ").contains("no cim schema").contains("cim db migrate");

            CliRunner.Result first = cim.run("db", "migrate", "-o", "json", "--actor", "dba-li");
            assertThat(first.exit()).as(first.toString()).isZero();
            assertThat(first.out()).startsWith("{\"ok\":true,\"command\":\"db migrate\",\"data\":{\"version\":\"" + Migrations.LATEST + "\"");
            CliRunner.Result again = cim.run("db", "migrate", "-o", "json");
            assertThat(again.out()).contains("\"applied\":0");

            CliRunner.Result status = cim.run("db", "status");
            assertThat(status.exit()).isZero();
            assertThat(status.out()).contains(backend == Backend.H2 ? "H2" : "PostgreSQL")
                    .containsPattern("schema version\\s+" + Migrations.LATEST).containsPattern("rows tier_registry\\s+28");

            CliRunner.Result log = cim.run("audit", "log", "-o", "json");
            assertThat(log.out()).contains("\"action\":\"db.migrate\"").contains("\"actor\":\"dba-li\"")
                    .contains("\"command_line\":\"cim db migrate -o json --actor dba-li\"");
            CliRunner.Result table = cim.run("audit", "log", "--action", "db.*");
            assertThat(table.out()).startsWith("SEQ").contains("dba-li").contains("db.migrate");
            CliRunner.Result csv = cim.run("audit", "log", "-o", "csv", "--actor", "nobody");
            assertThat(csv.out()).isEqualTo("seq,occurred_at,actor,os_user,host,db_user,client_addr,action,"
                    + "object_type,object_id,"
                    + "customers,row_count,reason,command_line,detail,prev_hash,hash\r\n");

            CliRunner.Result verify = cim.run("audit", "verify", "-o", "json");
            assertThat(verify.exit()).isZero();
            assertThat(verify.out()).as("the keyset's registration, the migration, then the tier registry's signature")
                    .contains("\"events\":3,\"ok\":true,\"unkeyed\":0,\"head\":{\"seq\":3,\"hash\":\"")
                    .contains("\"first_bad\":null");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void verifyExitsOneNamingTheTamperedEvent(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = keyed(new CliRunner(db.directory()).env("CIM_DB_URL", db.url()), db);
            assertThat(cim.run("db", "migrate").exit()).isZero();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute(backend == Backend.POSTGRESQL ? "SET session_replication_role = replica"
                        : "DROP TRIGGER audit_event_append_only");
                st.execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1");
            }
            CliRunner.Result verify = cim.run("audit", "verify");
            assertThat(verify.exit()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(verify.out()).containsPattern("first bad event\\s+1");
            assertThat(verify.err()).startsWith("ERROR: the audit trail has been tampered with: event 1 was changed");

            CliRunner.Result json = cim.run("audit", "verify", "-o", "json");
            assertThat(json.out()).startsWith("{\"ok\":false,\"command\":\"audit verify\"")
                    .contains("\"first_bad\":1").contains("\"error\":{\"exit\":1,");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void secretsInTheDatabaseUrlAreMaskedInOutputAndAudit(Backend backend) {
        try (TestDatabase db = TestDatabase.create(backend)) {
            String url = db.url() + (backend == Backend.H2 ? ";PASSWORD=" : (db.url().contains("?") ? "&" : "?")
                    + "password=") + "s3cret";
            CliRunner cim = keyed(new CliRunner(db.directory()), db);
            CliRunner.Result migrate = cim.run("--db", url, "db", "migrate");
            assertThat(migrate.exit()).as(migrate.toString()).isZero();
            CliRunner.Result log = cim.run("--db", url, "audit", "log", "-o", "json");
            assertThat(log.out()).contains("***").doesNotContain("s3cret");
            assertThat(cim.run("--db", url, "db", "status").out()).doesNotContain("s3cret");
        }
    }

    /** The runner with a new keyset of its own (CIM_KEYSET), as a central database needs. */
    static CliRunner keyed(CliRunner cim, TestDatabase db) {
        java.nio.file.Path keyset = db.directory().resolve("keyset.json");
        cim.require("keys", "init", "--out", keyset.toString());
        return cim.env("CIM_KEYSET", keyset.toString());
    }
    /**
     * One rule for --quiet: commands that change data or check things print nothing when they succeed, so cron mails
     * only errors; commands that show data still show it; -o json always prints its document; a failed check prints.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void quietKeepsCronMailToErrors(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent",
                    "source_key,name,id_number,mobile\r\nA1,张三,11010519491231002X,13812341234\r\n").channels("web");
            java.nio.file.Path more = java.nio.file.Files.writeString(db.directory().resolve("more.csv"),
                    "source_key,name\r\nB1,李四\r\n");
            for (String[] command : new String[][] {
                    {"-q", "import", more.toString(), "--source", "web"},
                    {"-q", "codes", "assign"},
                    {"-q", "audit", "verify"},
                    {"-q", "tiers", "verify"},
                    {"-q", "export", "--out", db.directory().resolve("q.csv").toString()}}) {
                CliRunner.Result quiet = cim.run(command);
                assertThat(quiet.exit()).as(quiet.toString()).isZero();
                assertThat(quiet.out()).as(String.join(" ", command)).isEmpty();
                assertThat(quiet.err()).as(String.join(" ", command)).isEmpty();
            }
            assertThat(cim.run("-q", "tiers", "list").out()).contains("id_number");
            assertThat(cim.run("-q", "codes", "xref").out()).contains("A1");
            assertThat(cim.run("-q", "-o", "json", "audit", "verify").out()).startsWith("{\"ok\":true");
            assertThat(cim.run("tiers", "list", "-o", "csv").out()).as("CSV headers are column names, as JSON's keys")
                    .startsWith("field,category,origin,tier,protection,masking,masked_by,example\r\n");
            assertThat(cim.run("codes", "review", "list", "-o", "csv").out())
                    .startsWith("id,record,record_code,candidate_code,score,explanation,created\r\n");
        }
    }
}
