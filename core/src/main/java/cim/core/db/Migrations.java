package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/** The schema's Flyway migrations: portable scripts in db/migration/common, triggers per backend beside them. */
public final class Migrations {
    private final Database database;
    private final Flyway flyway;

    public Migrations(Database database) {
        this.database = database;
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database.dataSource())
                .locations("classpath:db/migration/common", "classpath:db/migration/" + database.backend().flywayVendor())
                .table("cim_schema_history")
                .cleanDisabled(true)
                .load();
    }

    /** What a migrate run did. */
    public record Outcome(String fromVersion, String toVersion, int applied) { }

    /** Brings the schema to the latest version; does nothing when it is there already. */
    public Outcome migrate() {
        String before = currentVersion();
        MigrateResult result = flyway.migrate();
        return new Outcome(before, currentVersion(), result.migrationsExecuted);
    }

    /** The applied schema version, or null when the database has no cim schema yet. */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? null : current.getVersion().getVersion();
    }

    public int pendingCount() {
        return flyway.info().pending().length;
    }

    /** Fails with the fix when the schema is missing or behind this version of cim. */
    public void requireCurrent() {
        if (pendingCount() == 0) {
            return;
        }
        String version = currentVersion();
        throw new CimException(Failure.CONFIGURATION,
                "the database at " + database.target().hostAndPort() + " has "
                        + (version == null ? "no cim schema" : "cim schema version " + version + ", older than this cim"),
                "run 'cim db migrate' against it first");
    }
}
