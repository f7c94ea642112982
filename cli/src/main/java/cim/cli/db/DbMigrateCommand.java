package cim.cli.db;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.db.SchemaUpgrade;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim db migrate`: create or upgrade the schema; running it again changes nothing. */
@Command(name = DbMigrateCommand.NAME, sortOptions = false,
        header = "Create or upgrade the schema (safe to run again: it does nothing when up to date).",
        description = {"Applies the schema migrations this version of cim carries, each in its own transaction, "
                + "and records the upgrade in the audit trail. Concurrent runs wait for each other.",
            "",
            "A central PostgreSQL database must be migrated with this command before other commands use it; the "
                + "embedded database is migrated automatically."})
public final class DbMigrateCommand implements Callable<Integer> {
    public static final String NAME = "migrate";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.connectToChange();
        if (!Migrations.LATEST.equals(new Migrations(db).currentVersion())) {
            // the upgrade's audit event needs the keyset: a missing one must stop it before anything is applied
            session.keyset(db.target());
        }
        Migrations.Outcome outcome = SchemaUpgrade.run(db, () -> session.audit(db));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", outcome.toVersion());
        data.put("from", outcome.fromVersion());
        data.put("applied", outcome.applied());
        data.put("url", db.target().displayUrl());
        session.output(spec).success(data, Table.keyValue()
                .row("database", db.target().displayUrl())
                .row("schema version", outcome.toVersion())
                .row("was", outcome.fromVersion() == null ? "empty" : outcome.fromVersion())
                .row("migrations applied", outcome.applied()));
        return 0;
    }
}
