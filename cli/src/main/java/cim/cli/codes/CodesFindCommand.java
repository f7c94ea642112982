package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.codes.CustomerSearch;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.MaskProfile;
import cim.core.protect.Masker;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes find --mobile -`: a customer by an identifier or name, the value read from standard input. */
@Command(name = CodesFindCommand.NAME, sortOptions = false,
        header = "Find customers by ID number, mobile, e-mail, credit code or name; the value from standard input.",
        description = {"For a customer's request (access, correction, erasure) or a question about one: the codes "
                + "of the customers holding the value, with masked name, type, status and channels. The value is "
                + "read from standard input (or asked for, unechoed, on a terminal), never the command line: give "
                + "the option '-' (printf '%%s\\n' \"$MOBILE\" | cim codes find --mobile -). It is normalised as an "
                + "import normalises it, so a 15-digit ID, a +86 mobile or full-width digits find the same customer, "
                + "and looked up exactly in the golden records' blind index and among the matcher's blocking keys, "
                + "which hold every valid identifier of every linked record (a second mobile one channel holds finds "
                + "the customer too): index lookups, well under a second on millions of customers.",
            "",
            "By name: --name - reads the name; a person also needs --birth-date -, read from the line after the "
                + "name (the matcher's name + birth-date key, then the names compared exactly); an organisation "
                + "(--type ORG) is found by its name alone. Exit 1 when no customer is found, so that scripts can "
                + "test it. Every lookup is audited (codes.find) with the customers it found and the field, never "
                + "the value; 'cim codes report' lists it among the uses of the customer's data. Erased customers are "
                + "not found; restricted ones are, marked so. Needs any profile but the auditor's."})
public final class CodesFindCommand implements Callable<Integer> {
    public static final String NAME = "find";

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private By by;

    static final class By {
        @Option(names = "--id-number", paramLabel = "-", description = "by ID number (from standard input)")
        String idNumber;

        @Option(names = "--mobile", paramLabel = "-", description = "by mobile number (from standard input)")
        String mobile;

        @Option(names = "--email", paramLabel = "-", description = "by e-mail address (from standard input)")
        String email;

        @Option(names = "--uscc", paramLabel = "-", description = "by unified social credit code (from standard "
                + "input)")
        String uscc;

        @Option(names = "--name", paramLabel = "-", description = "by name (from standard input); a person also "
                + "with --birth-date -")
        String name;
    }

    @Option(names = "--birth-date", paramLabel = "-", description = "with --name: the birth date, from the line "
            + "after the name")
    private String birthDate;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "PERSON", description = "with --name: PERSON "
            + "(default) or ORG")
    private String type;

    @Override
    public Integer call() {
        Map.Entry<String, CustomerField> asked = asked();
        CustomerType customerType = CustomerType.parse(type);
        if (customerType == null) {
            throw new ParameterException(spec.commandLine(), "--type must be PERSON or ORG");
        }
        boolean organisation = customerType.organisation();
        if (birthDate != null && by.name == null) {
            throw new ParameterException(spec.commandLine(), "--birth-date goes with --name");
        }
        ValueInput.requireStdin(spec, "--birth-date", birthDate);
        List<String> names = new ArrayList<>(List.of(asked.getKey().substring(2)));
        if (birthDate != null) {
            names.add("birth-date");
        }
        List<String> values = ValueInput.read(names);
        if (values.get(0) == null) {
            throw new CimException(Failure.INPUT, "no " + names.get(0) + " on standard input", "pipe the value in: "
                    + "printf '%s\\n' \"$VALUE\" | cim codes find " + asked.getKey() + " -");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        FieldProtector protector = session.protector(db);
        CustomerSearch search = new CustomerSearch(db.dsl(), session.audit(db), protector);
        CustomerSearch.Result result = asked.getValue() != null
                ? search.byIdentifier(asked.getValue(), values.get(0))
                : search.byName(values.get(0), birthDate == null ? null : values.get(1), organisation);
        List<CustomerSearch.Found> found = result.customers();
        if (!result.complete()) {
            session.notice("cim: warning: that " + names.get(0) + " is shared by more customers' records than the "
                    + "matcher keeps a key for (an agent's or a switchboard number): customers whose golden record "
                    + "holds it are listed, others holding it in a channel record may be missing");
        }
        if (found.isEmpty()) {
            throw new CimException(Failure.CHECK_FAILED, "no customer holds that " + names.get(0)
                    + (birthDate != null ? " and birth date" : ""), "check the value; 'cim codes pending' lists "
                    + "records the admission rules kept without a code");
        }
        Masker masker = new Masker(protector.registry(db.dsl()), MaskProfile.TIER2, null);
        Table table = new Table("code", "name", "type", "status", "channels");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CustomerSearch.Found customer : found) {
            String name = customer.name() == null ? "" : masker.show(CustomerField.NAME, customer.name(),
                    customer.organisation());
            String status = customer.restricted() ? customer.status() + " (restricted)" : customer.status();
            String kind = (customer.organisation() ? CustomerType.ORG : CustomerType.PERSON).name();
            table.row(customer.code(), name, kind, status, customer.channels());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", customer.code());
            row.put("name", name);
            row.put("type", kind);
            row.put("status", customer.status());
            row.put("restricted", customer.restricted());
            row.put("channels", customer.channels());
            rows.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("codes", rows);
        data.put("complete", result.complete());
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }

    /** The option given and the field it searches (null: the name). */
    private Map.Entry<String, CustomerField> asked() {
        String option;
        String given;
        CustomerField field = null;
        if (by.idNumber != null) {
            option = "--id-number";
            given = by.idNumber;
            field = CustomerField.ID_NUMBER;
        } else if (by.mobile != null) {
            option = "--mobile";
            given = by.mobile;
            field = CustomerField.MOBILE;
        } else if (by.email != null) {
            option = "--email";
            given = by.email;
            field = CustomerField.EMAIL;
        } else if (by.uscc != null) {
            option = "--uscc";
            given = by.uscc;
            field = CustomerField.USCC;
        } else {
            option = "--name";
            given = by.name;
        }
        ValueInput.requireStdin(spec, option, given);
        return new java.util.AbstractMap.SimpleEntry<>(option, field);
    }
}
