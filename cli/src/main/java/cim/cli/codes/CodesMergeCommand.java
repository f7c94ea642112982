package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.CustomerCode;
import cim.core.codes.Steward;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes merge A B --reason T`: a steward merges customer B into A. */
@Command(name = CodesMergeCommand.NAME, sortOptions = false,
        header = "Merge customer B into customer A (A keeps its code; B redirects to it).",
        description = {"Every source record of B is linked to A; B's old links stay as history and B stays "
                + "resolvable ('cim codes show B' shows A). A's golden record is rebuilt. Refused: a code into "
                + "itself, a code already merged (merge its survivor instead), a person with an organisation. "
                + "One transaction, audited (codes.merge)."})
public final class CodesMergeCommand implements Callable<Integer> {
    public static final String NAME = "merge";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "the customer that survives")
    private String survivor;

    @Parameters(index = "1", paramLabel = "B", description = "the customer merged into A")
    private String absorbed;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why; kept in both customers' "
            + "history and the audit trail")
    private String reason;

    @Override
    public Integer call() {
        CustomerCode a = CustomerCode.parse(survivor);
        CustomerCode b = CustomerCode.parse(absorbed);
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Steward.Merged merged = new Steward(db, session.audit(db), session.protector(db),
                session.policy(db, false).trust()).merge(a, b, reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("survivor", merged.survivor());
        data.put("absorbed", merged.absorbed());
        data.put("records", merged.records());
        session.output(spec).success(data, Table.keyValue().row("survivor", merged.survivor())
                .row("merged into it", merged.absorbed()).row("records moved", merged.records()));
        return ExitCode.OK.code();
    }
}
