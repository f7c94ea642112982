package cim.cli.audit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `cim audit`: the tamper-evident trail of who did what. */
@Command(name = AuditCommand.NAME, sortOptions = false,
        header = "Query and verify the audit trail.",
        description = "Every command that changes data or reveals protected data appends an event in the same "
                + "transaction: time, actor, OS user, host, action, object, customers, counts, reason, the command "
                + "line (secrets masked) and a detail document. Events form a SHA-256 hash chain; the database "
                + "refuses to update or delete them.",
        subcommands = {AuditLogCommand.class, AuditVerifyCommand.class},
        commandListHeading = "%nCommands:%n")
public final class AuditCommand implements Callable<Integer> {
    public static final String NAME = "audit";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: 'cim audit log' or 'cim audit verify'");
    }
}
