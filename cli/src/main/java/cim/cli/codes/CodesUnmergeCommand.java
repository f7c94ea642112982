package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.Steward;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes unmerge --source CH --key K --reason T`: split one source record off into its own code. */
@Command(name = CodesUnmergeCommand.NAME, sortOptions = false,
        header = "Split a source record off its customer into a new code of its own.",
        description = {"The record gets a new customer code and is pinned to it; its old link stays as history, "
                + "and both golden records are rebuilt. The two codes are recorded as separated: a later "
                + "'codes assign' never merges them again by itself. One transaction, audited (codes.unmerge)."})
public final class CodesUnmergeCommand implements Callable<Integer> {
    public static final String NAME = "unmerge";

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "CHANNEL", required = true, description = "the record's channel")
    private String source;

    @Option(names = "--key", paramLabel = "KEY", required = true, description = "the record's source key")
    private String key;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why; kept in the history "
            + "and the audit trail")
    private String reason;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        Steward.Split split = new Steward(db, session.audit(db), session.protector(db),
                session.policy(db, false).trust()).unmerge(source.strip(), key.strip(),
                reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source_system", split.sourceSystem());
        data.put("source_key", split.sourceKey());
        data.put("from", split.from());
        data.put("new_code", split.newCode());
        data.put("restored", split.restored());
        session.output(spec).success(data, Table.keyValue().row("record", split.sourceSystem() + "/"
                + split.sourceKey()).row("split from", split.from()).row(split.restored() ? "code given back"
                : "new code", split.newCode() + (split.restored() ? " (its own before the merge, which is undone)"
                : "")));
        return ExitCode.OK.code();
    }
}
