package cim.cli.db;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim db`: the database itself. */
@Command(name = DbCommand.NAME, sortOptions = false,
        header = "Create, upgrade and inspect the cim database.",
        subcommands = {DbMigrateCommand.class, DbStatusCommand.class},
        commandListHeading = "%nCommands:%n")
public final class DbCommand implements Callable<Integer> {
    public static final String NAME = "db";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: 'cim db migrate' or 'cim db status'");
    }
}
