package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Columns;
import cim.cli.render.Table;
import cim.core.codes.CodeLookup;
import cim.core.codes.Steward;
import cim.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes review [list|accept ID|reject ID]`: the queue of uncertain pairs. */
@Command(name = CodesReviewCommand.NAME, sortOptions = false,
        header = "The review queue: records the matcher was unsure of, and the customer they may belong to.",
        description = {"A record scored between the thresholds got its own code and an item here. 'accept' merges "
                + "the record's code into the candidate customer; 'reject' keeps them apart for good (the matcher "
                + "will not join them later). Without a subcommand, lists the open items."},
        subcommands = {CodesReviewCommand.ListItems.class, CodesReviewCommand.Accept.class,
            CodesReviewCommand.Reject.class},
        commandListHeading = "%nCommands:%n")
public final class CodesReviewCommand implements Callable<Integer> {
    public static final String NAME = "review";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        return list(spec, "open", 100);
    }

    private static final Columns<CodeLookup.Review> ITEMS = Columns.<CodeLookup.Review>empty()
            .add("id", "id", CodeLookup.Review::id)
            .tableOnly("record", r -> r.sourceSystem() + "/" + r.sourceKey())
            .jsonOnly("source_system", CodeLookup.Review::sourceSystem)
            .jsonOnly("source_key", CodeLookup.Review::sourceKey)
            .add("record code", "record_code", CodeLookup.Review::recordCode)
            .add("candidate code", "candidate_code", CodeLookup.Review::candidateCode)
            .add("score", "score", r -> r.score().stripTrailingZeros().toPlainString(), CodeLookup.Review::score)
            .add("explanation", "explanation", CodeLookup.Review::explanation,
                    r -> cim.core.json.Json.objectOrText(r.explanation()))
            .tableOnly("created", r -> r.createdAt().toLocalDate())
            .jsonOnly("state", CodeLookup.Review::state);

    static int list(CommandSpec spec, String state, int limit) {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        session.output(spec).records("items", new CodeLookup(db.dsl()).reviews(state, limit), ITEMS);
        return ExitCode.OK.code();
    }

    @Command(name = "list", header = "List review items (open ones by default).")
    static final class ListItems implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--state", paramLabel = "STATE", defaultValue = "open",
                description = "open (default), accepted or rejected")
        private String state;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N items "
                + "(default ${DEFAULT-VALUE})")
        private int limit;

        @Override
        public Integer call() {
            if (!List.of("open", "accepted", "rejected").contains(state)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--state must be open, accepted or rejected");
            }
            return list(spec, state, limit);
        }
    }

    /** What accepting and rejecting share: the item and the reason. */
    abstract static class Decision implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "the item's id (from 'cim codes review list')")
        long id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (optional); audited")
        String reason;
    }

    @Command(name = "accept", header = "Accept an item: merge the record's code into the candidate customer.")
    static final class Accept extends Decision {
        @Override
        public Integer call() {
            Session session = Session.of(spec);
            Database db = session.databaseToChange();
            Steward.Merged merged = steward(session, db).accept(id, reason);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", id);
            data.put("survivor", merged.survivor());
            data.put("absorbed", merged.absorbed());
            session.output(spec).success(data, Table.keyValue().row("review item", id).row("accepted", "yes")
                    .row("survivor", merged.survivor()).row("merged into it", merged.absorbed()));
            return ExitCode.OK.code();
        }
    }

    @Command(name = "reject", header = "Reject an item: the two stay apart, and the matcher will not join them.")
    static final class Reject extends Decision {
        @Override
        public Integer call() {
            Session session = Session.of(spec);
            Database db = session.databaseToChange();
            steward(session, db).reject(id, reason);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", id);
            data.put("rejected", true);
            session.output(spec).success(data, Table.keyValue().row("review item", id).row("rejected", "yes"));
            return ExitCode.OK.code();
        }
    }

    private static Steward steward(Session session, Database db) {
        return new Steward(db, session.audit(db), session.protector(db),
                session.policy(db, false).trust());
    }
}
