package cim.core.db;

import org.jooq.DSLContext;
import org.jooq.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.REVIEW_ITEM;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_REGISTRY;

/**
 * What `cim db status` reports: which database, which schema version and how it stands against the one this cim
 * expects ({@link Migrations#LATEST}), how many rows in the main tables.
 */
public record DatabaseStatus(Backend backend, String url, String embeddedFile, String schemaVersion, int pending,
                             Map<String, Long> rowCounts) {

    /** How the database's schema stands against this cim's. */
    public enum Schema {
        /** no cim schema yet */
        NONE,
        /** older: 'cim db migrate' brings it up */
        BEHIND,
        CURRENT,
        /** migrated by a newer cim, which is the one to use on it */
        AHEAD;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Schema schema() {
        if (schemaVersion == null) {
            return Schema.NONE;
        }
        if (schemaVersion.equals(Migrations.LATEST)) {
            return Schema.CURRENT;
        }
        return org.flywaydb.core.api.MigrationVersion.fromVersion(schemaVersion).isNewerThan(Migrations.LATEST)
                ? Schema.AHEAD : Schema.BEHIND;
    }

    private static final List<Table<?>> COUNTED =
            List.of(IMPORT_BATCH, SOURCE_RECORD, QUARANTINE, CUSTOMER, REVIEW_ITEM, TIER_REGISTRY, AUDIT_EVENT);

    public static DatabaseStatus of(Database database) {
        Migrations migrations = new Migrations(database);
        String version = migrations.currentVersion();
        Map<String, Long> counts = new LinkedHashMap<>();
        if (version != null) {
            DSLContext dsl = database.dsl();
            Engine engine = database.backend().engine();
            for (Table<?> table : COUNTED) {
                // a role given a profile counts what it may read (an auditor no customer data, a reader no events)
                if (engine.mayRead(dsl, table)) {
                    counts.put(table.getName(), (long) dsl.fetchCount(table));
                }
            }
        }
        DatabaseTarget target = database.target();
        return new DatabaseStatus(target.backend(), target.displayUrl(),
                target.embedded() ? target.embeddedFile().toString() : null, version, migrations.pendingCount(), counts);
    }
}
