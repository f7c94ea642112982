package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.codes.CustomerCode;
import cim.core.codes.Steward;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes correct CODE --field F --reason T`: a steward's value of a field, read from standard input. */
@Command(name = CodesCorrectCommand.NAME, sortOptions = false,
        header = "Correct a field of a customer's golden record (PIPL Art. 46); the value from standard input.",
        description = {"The new value is read from standard input (or asked for, unechoed, on a terminal), never "
                + "the command line. It is normalised and validated as an import would (an invalid value is refused "
                + "with the validator's reason, exit 65, and nothing changes), stored as its tier says (tier 1 "
                + "encrypted, with its blind index: 'codes find' finds the corrected value), and kept by "
                + "survivorship above every channel's value, whatever records arrive later, until another "
                + "correction or --unpin. A merge carries it to the surviving customer unless that one has its own. "
                + "Nested categories (policies, preferences …) take JSON; relations are corrected in their channel. "
                + "'codes show' marks the value as a steward's correction. The customer's history and the audit "
                + "event (codes.correct) name the field and the reason, never a value. Needs the steward profile."})
public final class CodesCorrectCommand implements Callable<Integer> {
    public static final String NAME = "correct";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "the customer (not a merged code: its survivor)")
    private String code;

    @Option(names = "--field", paramLabel = "FIELD", required = true, description = "the field, e.g. mobile, "
            + "address, preferences ('cim tiers list' lists them)")
    private String field;

    @Option(names = "--unpin", description = "take the field's correction back: the channels' values apply again "
            + "(nothing is read)")
    private boolean unpin;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (the customer's request "
            + "and its reference); kept in the history and the audit trail")
    private String reason;

    @Override
    public Integer call() {
        CustomerCode customer = CustomerCode.parse(code);
        CustomerField corrected = CustomerField.parse(field);
        String value = null;
        if (!unpin) {
            value = ValueInput.read(List.of(corrected.column())).get(0);
            if (value == null) {
                throw new CimException(Failure.INPUT, "no new " + corrected + " on standard input", "pipe the value "
                        + "in: printf '%s\\n' \"$VALUE\" | cim codes correct " + code + " --field " + corrected
                        + " --reason \"…\" (or --unpin to take a correction back)");
            }
        }
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Steward.Corrected done = new Steward(db, session.audit(db), session.protector(db),
                session.policy(db, false).trust()).correct(customer, corrected, value, reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", done.code());
        data.put("field", done.field());
        data.put("unpinned", done.unpinned());
        session.output(spec).success(data, Table.keyValue().row("customer", done.code()).row("field", done.field())
                .row(done.unpinned() ? "correction" : "corrected", done.unpinned() ? "taken back: the channels' "
                        + "values apply again" : "kept above every channel's value until --unpin"));
        return ExitCode.OK.code();
    }
}
