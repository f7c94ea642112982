package cim.cli.db;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.DatabaseStatus;
import cim.core.db.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim db status`: which database is in use, its schema version and row counts. */
@Command(name = DbStatusCommand.NAME, sortOptions = false,
        header = "Show which database is in use, its schema version and row counts.",
        description = {"The URL is shown with any password masked. The schema version is compared with the one "
                + "this cim expects (cim --version): behind (run 'cim db migrate'), current, or ahead (a newer cim "
                + "migrated the database). Changes nothing."})
public final class DbStatusCommand implements Callable<Integer> {
    public static final String NAME = "status";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        DatabaseStatus status = DatabaseStatus.of(session.connectToRead());

        String backend = status.embeddedFile() != null ? "embedded (" + status.backend().title() + ")"
                : status.backend().title();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("backend", status.backend().flywayVendor());
        data.put("embedded", status.embeddedFile() != null);
        data.put("url", status.url());
        data.put("file", status.embeddedFile());
        data.put("schema_version", status.schemaVersion());
        data.put("expected_schema_version", Migrations.LATEST);
        data.put("schema", status.schema().text());
        data.put("pending_migrations", status.pending());
        data.put("rows", status.rowCounts());

        Table table = Table.keyValue()
                .row("backend", backend)
                .row("url", status.url());
        if (status.embeddedFile() != null) {
            table.row("file", status.embeddedFile());
        }
        table.row("schema version", switch (status.schema()) {
            case NONE -> "none (run 'cim db migrate')";
            case CURRENT -> status.schemaVersion() + " (the one this cim expects)";
            case BEHIND -> status.schemaVersion() + ", behind this cim's " + Migrations.LATEST + " (run 'cim db migrate')";
            case AHEAD -> status.schemaVersion() + ", ahead of this cim's " + Migrations.LATEST
                    + " (a newer cim migrated it: use that one)";
        });
        table.row("pending migrations", status.pending());
        status.rowCounts().forEach((name, count) -> table.row("rows " + name, count));
        session.output(spec).success(data, table);
        return 0;
    }
}
