package cim.core.db;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;

import java.util.HashMap;
import java.util.Map;

/** Runs the migrations and records in the audit trail that the schema changed (a no-op run records nothing). */
public final class SchemaUpgrade {
    private SchemaUpgrade() {
    }

    public static Migrations.Outcome run(Database database, AuditTrail audit) {
        Migrations.Outcome outcome = new Migrations(database).migrate();
        if (outcome.applied() > 0) {
            Map<String, Object> detail = new HashMap<>();
            detail.put("from", outcome.fromVersion());
            detail.put("to", outcome.toVersion());
            detail.put("database", database.target().displayUrl());
            database.dsl().transaction(tx -> audit.append(tx.dsl(), AuditEntry.of("db.migrate")
                    .object("schema", outcome.toVersion()).rows(outcome.applied()).detail(detail)));
        }
        return outcome;
    }
}
