package cim.cli.audit;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.audit.AuditEvent;
import cim.core.audit.AuditFilter;
import cim.core.audit.AuditLog;
import cim.core.codes.CustomerCode;
import cim.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim audit log`: the newest events first, filtered. */
@Command(name = AuditLogCommand.NAME, sortOptions = false,
        header = "Show audit events, newest first.",
        description = "Times are shown in the local time zone; -o json and -o csv give every field, including "
                + "the host, the command line, the detail document and the chain hash.")
public final class AuditLogCommand implements Callable<Integer> {
    public static final String NAME = "log";
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    private CommandSpec spec;

    @Option(names = "--customer", paramLabel = "CODE", description = "only events concerning this customer code (P or G, nine digits, check character): those "
            + "naming it, the codes assign chunks that took its records and the exports of a whole scope since it "
            + "was created")
    private String customer;

    @Option(names = "--actor", paramLabel = "NAME", description = "only events by this actor (here --actor filters; 'audit log' changes nothing, so acts as nobody)")
    private String actor;

    @Option(names = "--action", paramLabel = "ACTION",
            description = "only this action (e.g. db.migrate); a trailing * matches a family (codes.*)")
    private String action;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
            description = "from this time on: 2026-11-01, 2026-11-01T08:30, or 30m / 12h / 7d ago")
    private Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class,
            description = "before this time (same forms as --since)")
    private Instant until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + AuditFilter.DEFAULT_LIMIT,
            description = "at most N events (default ${DEFAULT-VALUE})")
    private int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 or more");
        }
        Session session = Session.of(spec);
        AuditFilter filter = new AuditFilter(customer == null ? null : CustomerCode.parse(customer).value(),
                actor, action, since, until, limit);
        List<AuditEvent> events = AuditLog.read(session.databaseToRead().dsl(), filter);

        Table table = session.output(spec).format() == cim.cli.Output.Format.CSV ? csv(events) : summary(events);
        session.output(spec).success(Map.of("events", events.stream().map(AuditLogCommand::json).toList()), table);
        return ExitCode.OK.code();
    }

    private static Table summary(List<AuditEvent> events) {
        Table table = new Table("seq", "time", "actor", "action", "object", "rows", "customers", "reason");
        for (AuditEvent e : events) {
            String object = e.objectType() == null ? "" : e.objectType() + (e.objectId() == null ? "" : " " + e.objectId());
            table.row(e.seq(), LOCAL_TIME.format(e.occurredAt()), e.actor(), e.action(), object, e.rowCount(),
                    String.join(" ", e.subjects()), e.reason());
        }
        return table;
    }

    private static Table csv(List<AuditEvent> events) {
        Table table = new Table("seq", "occurred_at", "actor", "os_user", "host", "db_user", "client_addr",
                "action", "object_type",
                "object_id", "customers", "row_count", "reason", "command_line", "detail", "prev_hash", "hash");
        for (AuditEvent e : events) {
            table.row(e.seq(), e.occurredAt(), e.actor(), e.osUser(), e.host(), e.dbUser(), e.clientAddr(),
                    e.action(), e.objectType(),
                    e.objectId(), String.join(" ", e.subjects()), e.rowCount(), e.reason(), e.commandLine(),
                    e.detail(), e.prevHash(), e.hash());
        }
        return table;
    }

    private static Map<String, Object> json(AuditEvent e) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", e.seq());
        event.put("occurred_at", e.occurredAt().toString());
        event.put("actor", e.actor());
        event.put("os_user", e.osUser());
        event.put("host", e.host());
        event.put("db_user", e.dbUser());
        event.put("client_addr", e.clientAddr());
        event.put("action", e.action());
        event.put("object_type", e.objectType());
        event.put("object_id", e.objectId());
        event.put("customers", e.subjects());
        event.put("row_count", e.rowCount());
        event.put("reason", e.reason());
        event.put("command_line", e.commandLine());
        event.put("detail", Json.readMap(e.detail()));
        event.put("keyed", e.keyed());
        event.put("hash", e.hash());
        return event;
    }
}
