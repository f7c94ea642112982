package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.core.codes.CodeLookup;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** `cim codes xref`: every source record and its current customer code. */
@Command(name = CodesXrefCommand.NAME, sortOptions = false,
        header = "List every linked source record and its current customer code.",
        description = {"One row per source record (channel and key) with the code it is linked to now; records "
                + "not yet assigned are not listed ('cim codes assign' links them). Use -o csv for scripts; csv and "
                + "json are streamed, so memory stays flat however many records there are."})
public final class CodesXrefCommand implements Callable<Integer> {
    public static final String NAME = "xref";

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "only this channel's records")
    private String source;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        session.output(spec).rows(List.of("source_system", "source_key", "customer_code"),
                sink -> new CodeLookup(db.dsl()).xref(source, r -> sink.accept(List.of(r.value1(), r.value2(),
                        r.value3()))));
        return ExitCode.OK.code();
    }
}
