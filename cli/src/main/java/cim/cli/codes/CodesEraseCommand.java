package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.CustomerCode;
import cim.core.codes.Erasure;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes erase CODE --reason T [--restrict]`: PIPL Art. 47 erasure, or Art. 44 restriction. */
@Command(name = CodesEraseCommand.NAME, sortOptions = false,
        header = "Erase a customer's personal data (PIPL Art. 47) unless retention applies; or restrict its use.",
        description = {"The customer's data leaves every table that holds it, in one transaction: every version of "
                + "its source records (their sealed values and blind indexes go with the rows), its golden record "
                + "and those of the codes merged into it, links and history, match keys, review items, relations "
                + "to or from its records or naming its identifiers, admission queue entries, corrections, and the "
                + "quarantined rows that carry one of its records' keys or identifiers. The code stays reserved: "
                + "'codes show' says 'erased on DATE'. The audit trail keeps the event (codes.erase: who, when, why, "
                + "how many rows), and nothing in it can rebuild the data. A channel that delivers the customer again "
                + "later starts a new customer.",
            "",
            "Retention: while a rule of the policy's retention: section applies (built in: aml_identity, identity "
                + "records 10 years after the relationship ends, i.e. the last policy's end; never while a policy "
                + "is in force), erase refuses with exit 77, naming the rule and the date it ends. --restrict then "
                + "keeps the data for that purpose only: every export but --purpose regulatory leaves the customer "
                + "out, and 'codes show' and 'codes find' mark it restricted. A merge or unmerge keeps the restriction on "
                + "whatever holds the data. Run again on a customer erased or restricted already, it says so and "
                + "exits 0 (already: true in -o json). Needs the steward profile."})
public final class CodesEraseCommand implements Callable<Integer> {
    public static final String NAME = "erase";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "the customer (not a merged code: its survivor)")
    private String code;

    @Option(names = "--restrict", description = "keep the data, restricted to the retention purpose (Art. 44), "
            + "instead of erasing it")
    private boolean restrict;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (the customer's request "
            + "and its reference); kept in the audit trail")
    private String reason;

    @Override
    public Integer call() {
        CustomerCode customer = CustomerCode.parse(code);
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Erasure erasure = new Erasure(db, session.audit(db), session.protector(db),
                session.policy(db, false).retention());
        Map<String, Object> data = new LinkedHashMap<>();
        if (restrict) {
            Erasure.Restricted done = erasure.restrict(customer, reason);
            data.put("code", done.code());
            data.put("already", done.already());
            data.put("restricted_at", done.at().toString());
            data.put("retention_rule", done.hold().map(h -> h.rule().id()).orElse(null));
            data.put("until", done.hold().map(h -> h.until() == null ? null : h.until().toString()).orElse(null));
            session.output(spec).success(data, Table.keyValue().row("customer", done.code())
                    .row("restricted", (done.already() ? "already, " : "") + "since " + done.at().toLocalDate()
                            + ": kept for the retention purpose only")
                    .row("retention", done.hold().map(h -> h.describe()).orElse("no rule applies now: it can be "
                            + "erased")));
            return ExitCode.OK.code();
        }
        Erasure.Erased done = erasure.erase(customer, reason);
        data.put("code", done.code());
        data.put("already", done.already());
        data.put("codes", done.codes());
        data.put("records", done.records());
        data.put("quarantined", done.quarantined());
        data.put("erased_at", done.at().toString());
        session.output(spec).success(data, Table.keyValue().row("customer", done.code())
                .row("erased", (done.already() ? "already, on " : "") + done.at().toLocalDate()
                        + " (the code stays reserved)")
                .row("codes", String.join(", ", done.codes())).row("records removed", done.records())
                .row("quarantined rows removed", done.quarantined()));
        return ExitCode.OK.code();
    }
}
