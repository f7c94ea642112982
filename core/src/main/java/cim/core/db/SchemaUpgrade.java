package cim.core.db;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.protect.TierRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the migrations and records in the audit trail that the schema changed (a no-op run records nothing). The run
 * that adds the tier registry's signatures (schema 14) also signs its rows, with a {@code tiers.sign} event; a run
 * interrupted between the two signs them the next time. Once that event is in the trail, unsigned rows are
 * tampering, never signed again.
 */
public final class SchemaUpgrade {
    private SchemaUpgrade() {
    }

    /** @param audit the trail to record the upgrade in, asked for only once the schema is there to check keys in */
    public static Migrations.Outcome run(Database database, Supplier<AuditTrail> audit) {
        Migrations.Outcome outcome = new Migrations(database).migrate();
        if (outcome.applied() > 0) {
            Map<String, Object> detail = new HashMap<>();
            detail.put("from", outcome.fromVersion());
            detail.put("to", outcome.toVersion());
            detail.put("database", database.target().displayUrl());
            AuditTrail trail = audit.get();
            database.dsl().transaction(tx -> trail.append(tx.dsl(), AuditEntry.of("db.migrate")
                    .object("schema", outcome.toVersion()).rows(outcome.applied()).detail(detail)));
        }
        if (TierRegistry.neverSigned(database.dsl())) {
            AuditTrail trail = audit.get();
            database.dsl().transaction(tx -> {
                int signed = TierRegistry.signAll(tx.dsl(), trail.key());
                trail.append(tx.dsl(), AuditEntry.of("tiers.sign").object("schema", outcome.toVersion())
                        .rows(signed));
            });
        }
        return outcome;
    }
}
