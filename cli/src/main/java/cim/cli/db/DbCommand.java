package cim.cli.db;

import picocli.CommandLine.Command;

/** `cim db`: the database itself. */
@Command(name = DbCommand.NAME, sortOptions = false,
        header = "Create, upgrade and inspect the cim database, and grant its roles their profiles.",
        subcommands = {DbMigrateCommand.class, DbStatusCommand.class, DbGrantCommand.class},
        commandListHeading = "%nCommands:%n")
public final class DbCommand {
    public static final String NAME = "db";
}
