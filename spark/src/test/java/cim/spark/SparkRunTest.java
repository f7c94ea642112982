package cim.spark;

import cim.cli.CliRunner;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.testing.TestDatabase;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code codes assign --engine spark} refuses to run (the embedded database, a dry run, a customer file that
 * has customers already, unless --rematch) and {@code quality check --engine spark} (the embedded database, --failures), and that a run failing after Spark staged its rows leaves the customer file as it was.
 */
class SparkRunTest {
    private static final String CSV = "source_key,name,gender,birth_date,id_number,mobile,address\r\n"
            + "A1,张丽,女,1949-12-31,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n"
            + "A2,张丽,女,1949-12-31,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n"
            + "A3,李娜,女,1985-03-04,,13900000001,上海市徐汇区人民路3号\r\n";

    @Test
    void refusedWhereItCannotRunAsItShould() throws Exception {
        try (TestDatabase h2 = TestDatabase.create(Backend.H2)) {
            CliRunner cim = CliRunner.withRecords(h2, "agent", CSV);
            CliRunner.Result embedded = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(embedded.exit()).as(embedded.toString()).isEqualTo(2);
            assertThat(embedded.err()).contains("this is the embedded one").contains("hint:");
            CliRunner.Result check = cim.run("quality", "check", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(check.exit()).as(check.toString()).isEqualTo(2);
            assertThat(check.err()).contains("this is the embedded one");
        }
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = CliRunner.withRecords(pg, "agent", CSV);
            CliRunner.Result dry = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]",
                    "--dry-run");
            assertThat(dry.exit()).as(dry.toString()).isEqualTo(2);
            assertThat(dry.err()).contains("no dry run");
            CliRunner.Result failures = cim.run("quality", "check", "--engine", "spark", "--spark-master", "local[2]",
                    "--failures", pg.directory().resolve("failures.csv").toString());
            assertThat(failures.exit()).as(failures.toString()).isEqualTo(2);
            assertThat(failures.err()).contains("--failures is written by a check on this machine");
            CliRunner.Result cluster = cim.run("codes", "assign", "--engine", "spark", "--spark-master",
                    "spark://127.0.0.1:7077");
            assertThat(cluster.exit()).as(cluster.toString()).isEqualTo(78);
            assertThat(cluster.err()).contains("needs spark.authenticate and spark.network.crypto.enabled");
            cim.require("codes", "assign");
            CliRunner.Result again = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(again.exit()).as(again.toString()).isEqualTo(2);
            assertThat(again.err()).contains("has customers (this one has 2)").contains("--rematch");
        }
    }

    /**
     * The move from the staging tables fails (a trigger stands in for a constraint or a full disk): no customer, no
     * link, no staged row is left, the batch is still to be coded, and the audit chain holds no event of the run;
     * the same run then succeeds.
     */
    @Test
    void aRunThatFailsLeavesTheCustomerFileAsItWas() throws Exception {
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = CliRunner.withRecords(pg, "agent", CSV);
            try (Database db = pg.open()) {
                db.dsl().execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
                db.dsl().execute("CREATE TRIGGER refuse BEFORE INSERT ON customer_link "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION refuse()");
            }
            long events = events(pg);
            CliRunner.Result failed = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(failed.exit()).as(failed.toString()).isNotZero();
            assertThat(failed.err()).startsWith("ERROR:");
            try (Database db = pg.open()) {
                for (String table : new String[] {"customer", "customer_link", "match_key", "review_item",
                    "match_stage_customer", "match_stage_link", "match_stage_key", "match_stage_review"}) {
                    assertThat(db.dsl().fetchCount(DSL.table(DSL.name(table)))).as(table).isZero();
                }
                assertThat(((Number) db.dsl().fetchValue("SELECT count(*) FROM import_batch WHERE coded_at IS NULL"))
                        .longValue()).as("batches still to code").isEqualTo(1);
                db.dsl().execute("DROP TRIGGER refuse ON customer_link");
            }
            assertThat(events(pg)).as("audit events").isEqualTo(events);
            CliRunner.Result done = cim.run("-o", "json", "codes", "assign", "--engine", "spark", "--spark-master",
                    "local[2]");
            assertThat(done.exit()).as(done.toString()).isZero();
            assertThat(done.out()).contains("\"examined\":3,\"linked\":1,\"new_codes\":2");
            cim.require("audit", "verify");
        }
    }

    /** An empty file, and one whose every record the admission rules refuse: nothing to code, nothing moved. */
    @Test
    void nothingToCodeIsNoRun() throws Exception {
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = CliRunner.on(pg);
            CliRunner.Result empty = cim.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]");
            assertThat(empty.out()).contains("\"examined\":0,\"linked\":0,\"new_codes\":0");
            cim.channels("agent");
            java.nio.file.Path policy = java.nio.file.Files.writeString(pg.directory().resolve("policy.yaml"),
                    "admission:\n  PERSON: {require: [name, id_number]}\n  ORG: {}\n");
            cim.require("-q", "policy", "set", policy.toString(), "--reason", "an ID number is required");
            java.nio.file.Path records = java.nio.file.Files.writeString(pg.directory().resolve("r.csv"),
                    "source_key,name,mobile\r\nA1,张丽,13812341234\r\n");
            cim.require("-q", "import", records.toString(), "--source", "agent");
            CliRunner.Result refused = cim.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]");
            assertThat(refused.out()).contains("\"examined\":1,\"linked\":0,\"new_codes\":0")
                    .contains("\"refused\":1");
            CliRunner.Result again = cim.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]");
            assertThat(again.out()).contains("\"examined\":0");
            cim.require("-q", "audit", "verify");
        }
    }

    /** A login role with the importer profile (not the tables' owner) runs both jobs on Spark. */
    @Test
    void anImporterRoleRunsBothJobs() throws Exception {
        String role = "cim_spark_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = CliRunner.withRecords(pg, "agent", CSV);
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + role + " LOGIN");
            }
            cim.require("db", "grant", role, "--profile", "importer");
            CliRunner importer = cim.env("CIM_DB_URL", pg.url().replace("user=root", "user=" + role));
            CliRunner.Result assigned = importer.run("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]");
            assertThat(assigned.exit()).as(assigned.toString()).isZero();
            assertThat(assigned.out()).contains("\"examined\":3,\"linked\":1,\"new_codes\":2");
            CliRunner.Result checked = importer.run("-o", "json", "quality", "check", "--engine", "spark",
                    "--spark-master", "local[2]");
            assertThat(checked.exit()).as(checked.toString()).isIn(0, 1);
            assertThat(checked.out()).contains("\"records\":2");
            cim.env("CIM_DB_URL", pg.url()).require("audit", "verify");
        } finally {
            try (Connection admin = DriverManager.getConnection(System.getProperty("cim.test.pg",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root")); Statement st = admin.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    /** What executors are told of the database names no password; local-cluster is not this process. */
    @Test
    void executorsAreToldNoPasswordAndOnlyLocalRunsInProcess() {
        assertThat(SparkEngine.withoutPassword("jdbc:postgresql://db:5432/cim?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/cim?user=u&ssl=true");
        assertThat(SparkEngine.withoutPassword("jdbc:postgresql://db:5432/cim?password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/cim");
        assertThat(SparkEngine.withoutPassword("jdbc:postgresql://db:5432/cim?user=u&PASSWORD=x"))
                .isEqualTo("jdbc:postgresql://db:5432/cim?user=u");
        assertThat(SparkEngine.inProcess("local[2]")).isTrue();
        assertThat(SparkEngine.inProcess("local")).isTrue();
        assertThat(SparkEngine.inProcess("local-cluster[2,1,1024]")).isFalse();
        assertThat(SparkEngine.inProcess("yarn")).isFalse();
    }

    /**
     * A task staged twice (a retried task, here a trigger that copies every staged link) is caught before the move:
     * exit 70, nothing moved, the staging emptied; and rows a dead run left behind are deleted by the next run.
     */
    @Test
    void stagedRowsThatDoNotAddUpAreNotMovedAndADeadRunsRowsAreDeleted() throws Exception {
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = CliRunner.withRecords(pg, "agent", CSV);
            try (Database db = pg.open()) {
                db.dsl().execute("CREATE FUNCTION twice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO match_stage_link SELECT NEW.*; RETURN NEW; END $$");
                db.dsl().execute("CREATE TRIGGER twice AFTER INSERT ON match_stage_link FOR EACH ROW "
                        + "WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION twice()");
            }
            CliRunner.Result failed = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(70);
            assertThat(failed.err()).contains("staged rows do not add up").contains("6 linked");
            try (Database db = pg.open()) {
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("customer_link")))).isZero();
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("match_stage_link")))).isZero();
                db.dsl().execute("DROP TRIGGER twice ON match_stage_link");
                // a dead run's rows
                db.dsl().execute("INSERT INTO match_stage_crowded (match_key, stage_job) VALUES (42, 7)");
            }
            cim.require("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            try (Database db = pg.open()) {
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("match_stage_crowded")))).isZero();
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("crowded_key")))).isZero();
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("customer_link")))).isEqualTo(3);
            }
        }
    }

    private static long events(TestDatabase pg) {
        try (Database db = pg.open()) {
            return ((Number) db.dsl().fetchValue("SELECT count(*) FROM audit_event")).longValue();
        }
    }
}
