package cim.cli.audit;

import picocli.CommandLine.Command;

/** `cim audit`: the tamper-evident trail of who did what. */
@Command(name = AuditCommand.NAME, sortOptions = false,
        header = "Query and verify the audit trail.",
        description = "Every command that changes data or reveals protected data appends an event in the same "
                + "transaction: time, actor, OS user, host, action, object, customers, counts, reason, the command "
                + "line (secrets masked), the database role and client address the server saw, and a detail document. Events "
                + "form a chain keyed with the keyset's audit key; the database refuses to update or delete them, "
                + "and anchors kept elsewhere show a chain cut short.",
        subcommands = {AuditLogCommand.class, AuditVerifyCommand.class, AuditAnchorCommand.class},
        commandListHeading = "%nCommands:%n")
public final class AuditCommand {
    public static final String NAME = "audit";
}
