package cim.cli;

import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.DatabaseStatus;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cim --version names the commit it was built from and the schema version it expects; db status says whether the
 * database is behind that (migrate it), current, or ahead (a newer cim migrated it).
 */
class VersionAndSchemaTest {
    @Test
    void versionNamesTheCommitAndTheSchemaItExpects(@TempDir Path dir) {
        String[] lines = new CliRunner(dir).require("--version").out().split("\n");
        // built from this clone: its commit, twelve hex digits (marked when the build had uncommitted changes)
        String commit = Files.exists(Path.of("..", ".git")) ? "[0-9a-f]{12}( \\(with uncommitted changes\\))?"
                : "unknown";
        assertThat(lines[0]).matches("cim \\S+, commit " + commit);
        assertThat(lines[1]).isEqualTo("database schema " + Migrations.LATEST);
        assertThat(lines[2]).startsWith("Java ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void dbStatusComparesTheDatabasesSchemaWithThisCims(Backend backend) {
        try (TestDatabase db = TestDatabase.create(backend)) {
            Path keyset = db.directory().resolve("keyset.json");
            CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url())
                    .env("CIM_KEYSET", keyset.toString());
            cim.require("keys", "init", "--out", keyset.toString());
            statusAgainstThisCims(cim, db);
        }
    }

    private static void statusAgainstThisCims(CliRunner cim, TestDatabase test) {
        assertThat(cim.require("-o", "json", "db", "status").out()).contains("\"schema\":\"none\"");
        cim.require("db", "migrate");
        assertThat(cim.require("-o", "json", "db", "status").out())
                .contains("\"schema_version\":\"" + Migrations.LATEST + "\"",
                        "\"expected_schema_version\":\"" + Migrations.LATEST + "\"", "\"schema\":\"current\"");
        assertThat(cim.require("db", "status").out()).contains(Migrations.LATEST + " (the one this cim expects)");

        // as a newer cim would leave it
        try (Database db = test.open()) {
            db.dsl().execute("UPDATE cim_schema_history SET version = '99' WHERE version = '" + Migrations.LATEST + "'");
        }
        CliRunner.Result ahead = cim.require("db", "status");
        assertThat(ahead.out()).contains("99, ahead of this cim's " + Migrations.LATEST + " (a newer cim migrated it");
        assertThat(cim.require("-o", "json", "db", "status").out()).contains("\"schema\":\"ahead\"");
    }

    @Test
    void anOlderSchemaIsBehind() {
        assertThat(status("22").schema()).isEqualTo(DatabaseStatus.Schema.BEHIND);
        assertThat(status("23").schema()).isEqualTo(DatabaseStatus.Schema.BEHIND);
        assertThat(status(Migrations.LATEST).schema()).isEqualTo(DatabaseStatus.Schema.CURRENT);
        assertThat(status("100").schema()).isEqualTo(DatabaseStatus.Schema.AHEAD);
        assertThat(status(null).schema()).isEqualTo(DatabaseStatus.Schema.NONE);
    }

    private static DatabaseStatus status(String version) {
        return new DatabaseStatus(cim.core.db.Backend.H2, "embedded", null, version, 0, Map.of());
    }
}
