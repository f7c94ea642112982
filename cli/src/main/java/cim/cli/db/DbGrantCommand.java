package cim.cli.db;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** `cim db grant ROLE --profile P`: give a database role exactly what a profile's commands need. */
@Command(name = DbGrantCommand.NAME, sortOptions = false,
        header = "Give a PostgreSQL role exactly the rights of a cim profile (run by the tables' owner).",
        description = {"The tables' owner is for 'cim db migrate'; the roles cim runs as day to day get a profile:",
            "",
            "  reader    masked reads: codes show and xref, export, quality check, tiers list",
            "  importer  import and codes assign, and a reader's reads",
            "  steward   merge, unmerge, review, and unmasking with a reason, and a reader's reads",
            "  auditor   audit log, verify and anchor, and nothing else",
            "  admin     tiers and keys (set, verify, rotate), unmasking with a reason, and a reader's reads",
            "",
            "Several profiles are given with commas (importer,steward); none takes every right back. The role's "
                + "rights on cim's tables, sequences and functions are replaced, not added to. No profile may "
                + "update or delete audit rows, move the chain's head or change a trigger: events are appended "
                + "through functions that run with the owner's rights, and the database refuses an unmasking "
                + "event (--mask none, custom rules on tier-1 fields, a field moved out of tier 1) from a role "
                + "that is neither steward nor admin, and an event of a command outside the role's profile. A "
                + "command its role may not run exits 77.",
            "",
            "The role must exist (CREATE ROLE name LOGIN). The grant is recorded in the audit trail. The embedded "
                + "database has one local user, who may do everything: this command is for PostgreSQL."})
public final class DbGrantCommand implements Callable<Integer> {
    public static final String NAME = "grant";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROLE", description = "an existing database role")
    private String role;

    @Option(names = "--profile", required = true, paramLabel = "PROFILE",
            description = "reader, importer, steward, auditor or admin; several with commas; none for no rights")
    private String profile;

    @Override
    public Integer call() {
        Set<Profiles.Profile> profiles = Profiles.Profile.parseList(profile);
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        AuditTrail audit = session.audit(db);
        List<String> names = profiles.stream().map(Profiles.Profile::id).toList();
        Profiles.Granted granted = db.dsl().transactionResult(tx -> {
            Profiles.Granted done = Profiles.grant(tx.dsl(), role, profiles);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("profiles", names);
            audit.append(tx.dsl(), AuditEntry.of("db.grant").object("role", role).detail(detail));
            return done;
        });

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("role", role);
        data.put("profiles", names);
        Map<String, String> tables = new LinkedHashMap<>();
        granted.tables().forEach((table, privileges) -> tables.put(table, String.join(", ", privileges)));
        data.put("tables", tables);
        data.put("functions", List.copyOf(granted.functions()));
        Table table = new Table("table or function", "privileges");
        tables.forEach(table::row);
        granted.functions().forEach(f -> table.row(f, "EXECUTE"));
        if (!session.quiet()) {
            session.err().println("cim: role " + role + " now has " + (names.isEmpty() ? "no profile and no rights "
                    + "on cim's tables" : "the profile " + String.join(", ", names)));
            session.err().flush();
        }
        session.output(spec).success(data, table);
        return 0;
    }
}
