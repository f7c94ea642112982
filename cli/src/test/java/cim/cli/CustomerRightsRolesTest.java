package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static cim.cli.CustomerRightsCommandTest.RECORDS;
import static cim.cli.CustomerRightsCommandTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer's rights as PostgreSQL roles hold them: each command's profile, and what a steward cannot do by hand. */
class CustomerRightsRolesTest {
    /**
     * On PostgreSQL each command needs its profile, and a steward can do nothing of an erase by hand: it may delete
     * no row, and the owner's function deletes only for the erase its own transaction has audited.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void eachRightNeedsItsProfileAndAStewardErasesOnlyThroughCim(Backend backend) throws Exception {
        String suffix = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String reader = "cim_reader_" + suffix;
        String steward = "cim_steward_" + suffix;
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner owner = CliRunner.withRecords(db, "agent", RECORDS);
            owner.require("codes", "assign");
            String zhang = code(owner, "A1");
            String wang = code(owner, "A3");
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + reader + " LOGIN");
                st.execute("CREATE ROLE " + steward + " LOGIN");
            }
            owner.require("db", "grant", reader, "--profile", "reader");
            owner.require("db", "grant", steward, "--profile", "steward");
            CliRunner asReader = owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + reader));
            CliRunner asSteward = owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + steward));

            assertThat(asReader.runWithInput("13812345678\n", "codes", "find", "--mobile", "-").out()).contains(zhang);
            assertThat(asReader.runWithInput("13700001111\n", "codes", "correct", zhang, "--field", "mobile",
                    "--reason", "x").exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(asReader.run("codes", "erase", wang, "--reason", "x").exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            Path report = db.directory().resolve("r.json");
            assertThat(asReader.run("codes", "report", zhang, "--out", report.toString(), "--reason", "x").exit())
                    .isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(report).doesNotExist();
            assertThat(asReader.run("export", "--out", report.toString(), "--purpose", "regulatory", "--reason",
                    "x").exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());

            assertThat(asSteward.runWithInput("13700001111\n", "codes", "correct", zhang, "--field", "mobile",
                    "--reason", "call 7").exit()).isZero();
            asSteward.require("codes", "report", zhang, "--out", report.toString(), "--reason", "access 7");
            assertThat(Files.readString(report)).contains("\"action\" : \"codes.find\"", "\"action\" : "
                    + "\"codes.correct\"");
            String stewardUrl = db.url().replace("user=root", "user=" + steward);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(stewardUrl);
                 java.sql.Statement st = c.createStatement()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute(
                        "DELETE FROM source_record"))).hasMessageContaining("permission denied");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute(
                        "SELECT cim_erase_rows('" + wang + "', '{}')"))).hasMessageContaining(
                        "deletes only the rows of the customer this transaction has erased");
                // a link is ended, never handed to another customer (to bring its record under an erase)
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute(
                        "UPDATE customer_link SET customer_code = '" + wang + "' WHERE customer_code = '" + zhang + "'")))
                        .hasMessageContaining("permission denied");
                // nor in the erase's own transaction: a code merged into it there is refused
                c.setAutoCommit(false);
                st.execute("UPDATE customer SET erased_at = now() WHERE code = '" + wang + "'");
                st.execute("UPDATE customer SET merged_into = '" + wang + "' WHERE code = '" + zhang + "'");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute(
                        "SELECT cim_erase_rows('" + wang + "', '{}')"))).hasMessageContaining("cim_erase_rows");
                c.rollback();
            }
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url().replace("user=root",
                    "user=" + reader)); java.sql.Statement st = c.createStatement()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute(
                        "SELECT * FROM cim_customer_uses('" + zhang + "')"))).hasMessageContaining("permission denied");
            }
            assertThat(asSteward.require("codes", "erase", wang, "--reason", "deletion 8", "-o", "json").out())
                    .contains("\"records\":1");
            assertThat(owner.require("codes", "xref", "-o", "csv").out()).doesNotContain(",A3,");
            owner.require("audit", "verify");
        } finally {
            try (java.sql.Connection admin = java.sql.DriverManager.getConnection(System.getProperty("cim.test.pg",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root")); java.sql.Statement st = admin.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + reader);
                st.execute("DROP ROLE IF EXISTS " + steward);
            }
        }
    }
}
