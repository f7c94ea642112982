package cim.core.db;

import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.protect.TierRegistry;
import org.flywaydb.core.api.MigrationVersion;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the migrations and records in the audit trail that the schema changed (a no-op run records nothing). The run
 * that applies schema 14, which adds the tier registry's signatures, also signs its rows, in the transaction of its
 * {@code db.migrate} event, with a {@code tiers.sign} event. No other run signs: that a registry "was never signed"
 * could only be read from the database, which its owner can put back into that state (signatures and the newest
 * events removed) after changing tiers, for the next routine migration to sign.
 */
public final class SchemaUpgrade {
    /** The schema that adds the registry's signatures. */
    static final String SIGNED_REGISTRY = "14";

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
            boolean sign = addsSignatures(outcome);
            database.dsl().transaction(tx -> {
                trail.append(tx.dsl(), AuditEntry.of("db.migrate").object("schema", outcome.toVersion())
                        .rows(outcome.applied()).detail(detail));
                if (sign) {
                    int signed = TierRegistry.signAll(tx.dsl(), trail.key());
                    trail.append(tx.dsl(), AuditEntry.of("tiers.sign").object("schema", outcome.toVersion())
                            .rows(signed));
                }
            });
        }
        return outcome;
    }

    private static boolean addsSignatures(Migrations.Outcome outcome) {
        MigrationVersion signed = MigrationVersion.fromVersion(SIGNED_REGISTRY);
        return (outcome.fromVersion() == null || signed.isNewerThan(outcome.fromVersion()))
                && !signed.isNewerThan(outcome.toVersion());
    }
}
