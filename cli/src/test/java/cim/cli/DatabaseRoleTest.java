package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** cim under a PostgreSQL role that is not the tables' owner. */
class DatabaseRoleTest {

    /**
     * A role that may only read: masked reads work (binding the keyset took a row lock on key_registry, which needs
     * UPDATE, so they exited 70), and a command that writes is refused with exit 77 and the database's reason.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void aReadOnlyRoleReadsMaskedAndIsRefusedWritesWithExit77(Backend backend) throws Exception {
        String role = "cim_reader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile\nA1,张三,13812345678\n");
            cim.require("codes", "assign");
            String code = cim.require("codes", "xref", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("agent,A1,")).findFirst().orElseThrow().split(",")[2];
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + role + " LOGIN");
                st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
            }
            CliRunner reader = cim.env("CIM_DB_URL", db.url().replace("user=root", "user=" + role));

            CliRunner.Result shown = reader.run("codes", "show", code);
            assertThat(shown.exit()).as(shown.toString()).isZero();
            assertThat(shown.out()).contains("138****5678").doesNotContain("13812345678");

            Path more = Files.writeString(db.directory().resolve("more.csv"), "source_key,name\nA2,李四\n");
            CliRunner.Result refused = reader.run("import", more.toString(), "--source", "agent");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(refused.err()).startsWith("ERROR: import needs the importer profile; role " + role + " has none")
                    .contains("cim db grant " + role + " --profile importer").doesNotContain("李四");
            // without cim's own check, the database refuses: the role's grants are what holds
            CliRunner.Result checked = reader.run("quality", "check");
            assertThat(checked.exit()).as(checked.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(checked.err()).startsWith("ERROR: the database refused this command's role: database error "
                    + "42501").contains("permission denied");
        } finally {
            try (Connection admin = DriverManager.getConnection(System.getProperty("cim.test.pg",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root")); Statement st = admin.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
