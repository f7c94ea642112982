package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.sql.ResultSet;

/**
 * The schema's Flyway migrations: portable scripts in db/migration/common, triggers per backend beside them.
 * Reading the version asks the history table directly: Flyway's scan of the classpath costs most of a second,
 * which every command would pay, so Flyway itself runs only when there is something to migrate.
 */
public final class Migrations {
    /** The schema version this build of cim brings; a test checks it against the newest migration script. */
    public static final String LATEST = "23.1";

    static final String HISTORY_TABLE = "cim_schema_history";

    private final Database database;
    private Flyway flyway;

    public Migrations(Database database) {
        this.database = database;
    }

    private Flyway flyway() {
        if (flyway == null) {
            flyway = configure().load();
        }
        return flyway;
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration configure() {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database.dataSource())
                .locations("classpath:db/migration/common",
                        "classpath:db/migration/" + database.backend().flywayVendor())
                .table(HISTORY_TABLE)
                .cleanDisabled(true);
    }

    /** Brings an empty database to an older version (tests of a migration over the data before it). */
    void migrateTo(String version) {
        configure().target(version).load().migrate();
    }

    /** What a migrate run did. */
    public record Outcome(String fromVersion, String toVersion, int applied) { }

    /** Brings the schema to the latest version; does nothing when it is there already. */
    public Outcome migrate() {
        String before = currentVersion();
        if (LATEST.equals(before)) {
            return new Outcome(before, before, 0);
        }
        if (before != null && MigrationVersion.fromVersion(before).isNewerThan(LATEST)) {
            throw newerThanThisCim(before);
        }
        MigrateResult result = flyway().migrate();
        return new Outcome(before, currentVersion(), result.migrationsExecuted);
    }

    /** The applied schema version, or null when the database has no cim schema yet. */
    public String currentVersion() {
        DSLContext dsl = database.dsl();
        if (!historyTableExists(dsl)) {
            return null;
        }
        Field<String> version = DSL.field(DSL.name("version"), String.class);
        Field<Integer> rank = DSL.field(DSL.name("installed_rank"), Integer.class);
        return dsl.select(version).from(DSL.table(DSL.name(HISTORY_TABLE)))
                .where(DSL.field(DSL.name("success"), Boolean.class).isTrue()).and(version.isNotNull())
                .orderBy(rank.desc()).limit(1)
                .fetchOne(version);
    }

    /**
     * Whether the history table is in the connection's schema (where Flyway keeps it), asked of the driver for
     * that one name: jOOQ's meta would read every column of every table first, a third of a second each command.
     */
    private static boolean historyTableExists(DSLContext dsl) {
        return dsl.connectionResult(connection -> {
            try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(),
                    connection.getSchema(), HISTORY_TABLE, null)) {
                while (tables.next()) {
                    if (HISTORY_TABLE.equals(tables.getString("TABLE_NAME"))) {
                        return true;
                    }
                }
                return false;
            }
        });
    }

    /** How many migrations this cim would apply. */
    public int pendingCount() {
        return LATEST.equals(currentVersion()) ? 0 : flyway().info().pending().length;
    }

    private CimException newerThanThisCim(String version) {
        return new CimException(Failure.CONFIGURATION, "the database at " + database.target().hostAndPort()
                + " has cim schema version " + version + ", newer than this cim (" + LATEST + ")",
                "use the cim release that migrated it, or a newer one");
    }

    /** Fails with the fix when the schema is missing, behind, or ahead of this version of cim. */
    public void requireCurrent() {
        String version = currentVersion();
        if (LATEST.equals(version)) {
            return;
        }
        String where = "the database at " + database.target().hostAndPort();
        if (version != null && MigrationVersion.fromVersion(version).isNewerThan(LATEST)) {
            throw newerThanThisCim(version);
        }
        throw new CimException(Failure.CONFIGURATION, where + " has "
                + (version == null ? "no cim schema" : "cim schema version " + version + ", older than this cim"),
                "run 'cim db migrate' against it first");
    }
}
