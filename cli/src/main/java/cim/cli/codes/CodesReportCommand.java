package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.AccessReport;
import cim.core.codes.CodeLookup;
import cim.core.codes.CustomerCode;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes report CODE --out F --reason T`: everything held about a customer, for an access request. */
@Command(name = CodesReportCommand.NAME, sortOptions = false,
        header = "Write everything held about one customer, and who used it and why (PIPL Art. 45).",
        description = {"For a customer's access request: a JSON file with the golden record (in clear: the report "
                + "is for the customer) and where each value came from; every current source record with its "
                + "channel, branch, collection and load time and its quality findings; the fields a steward "
                + "corrected; its relations and the customers that name it; its history (merges, corrections, "
                + "restriction); and its uses: every audit event that names the customer (lookups with 'codes "
                + "find', displays, unmasked or not, exports of it, steward actions), and every export of all "
                + "customers made since it had a code, each with who, when, why, purpose and whether values were "
                + "unmasked. The file is created owner-only (0600), whole or not at all (exit 73 if it cannot be "
                + "written); the report is audited as an unmasked read (codes.report, with the file's SHA-256). An "
                + "erased customer's report holds the erasure and the uses. Needs the steward profile."})
public final class CodesReportCommand implements Callable<Integer> {
    public static final String NAME = "report";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", arity = "0..1", description = "the customer (a merged code: the customer it was "
            + "merged into)")
    private String code;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "instead of CODE: the customer of the record "
            + "with this channel …")
    private String source;

    @Option(names = "--key", paramLabel = "KEY", description = "… and this source key")
    private String key;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the JSON file to write (0600)")
    private Path out;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (the customer's request "
            + "and its reference); kept in the audit trail")
    private String reason;

    @Override
    public Integer call() {
        if ((code == null) == (source == null || key == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give a CODE, or --source and --key of one of the customer's records");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        CustomerCode customer = code != null ? CustomerCode.parse(code)
                : new CodeLookup(db.dsl()).codeOf(source.strip(), key.strip());
        AccessReport.Written written = new AccessReport(db.dsl(), session.audit(db), session.protector(db))
                .write(customer, out, reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", written.code());
        data.put("file", written.file());
        data.put("sha256", written.sha256());
        data.put("records", written.records());
        data.put("uses", written.uses());
        session.output(spec).success(data, Table.keyValue().row("customer", written.code())
                .row("file", written.file()).row("sha256", written.sha256()).row("source records", written.records())
                .row("uses of its data", written.uses()));
        return ExitCode.OK.code();
    }
}
