package cim.cli.keys;

import cim.cli.Session;
import cim.cli.render.Progress;
import cim.cli.render.Table;
import cim.core.codes.BlindIndexRotation;
import cim.core.db.Database;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeyRotation;
import cim.core.protect.Reclassification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** `cim keys rotate`: a new primary key, and every protected value re-encrypted under it. */
@Command(name = KeysRotateCommand.NAME, sortOptions = false,
        header = "Add a new primary encryption key and re-encrypt every protected value under it; with --blind-index, "
                + "re-key the blind indexes and match keys.",
        description = {"The keyset file is rewritten first (atomically, old keys kept), then values are "
                + "re-encrypted in batches that survive an interruption: run the command again to finish. Each "
                + "value is re-sealed bound to its field and record, including values an older cim sealed bound to "
                + "the field only (cim1:). Once no "
                + "value is left under an old key, the old keys are disabled in the keyset file (a value from before "
                + "the rotation, put back into a row or read from an old backup, no longer opens with it) and marked "
                + "retired in the database. Another cim run that read the old keyset before the rotation began "
                + "commits nothing once it has begun (it exits 75: run it again with the new file); a value under an "
                + "old key that appears anyway keeps them enabled: the command exits 75, and a rerun moves it and "
                + "finishes. A change of tier must finish first. The blind-index key does not change.",
            "",
            "With --blind-index the blind-index key is replaced instead (a keyset that leaked, or an old copy, then "
                + "finds nothing by value): the new key is written to the keyset file first, then every blind index "
                + "and match key of the source and golden records is computed again from the values, in batches that "
                + "survive an interruption (run the same command again to finish). Meanwhile every other command "
                + "that uses the keyset exits 75, and codes assign must not be running. At the end the old key is "
                + "retired in the database and dropped from the file. The encryption keys do not change.",
            "",
            "Afterwards every copy of the keyset must be replaced by the new file; keep the old file with the "
                + "backups taken before the rotation."})
public final class KeysRotateCommand implements Callable<Integer> {
    public static final String NAME = "rotate";

    @Spec
    private CommandSpec spec;

    @Option(names = "--blind-index", description = "rotate the blind-index key: re-key every blind index and match "
            + "key (resumable) instead of re-encrypting values")
    private boolean blindIndex;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Reclassification.DEFAULT_BATCH,
            description = "rows re-encrypted per transaction (default ${DEFAULT-VALUE})")
    private int batchSize;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be 1 or more");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        FieldProtector current = session.protector(db, blindIndex);
        Path file = session.keysetFile(db.target());
        if (blindIndex) {
            return rotateBlindIndex(session, db, current, file);
        }
        Progress progress = new Progress(session.err(), "re-encrypting", 0, session.progress());
        KeyRotation.Outcome outcome = new KeyRotation(db.dsl(), session.audit(db))
                .rotate(current.keyring(), session::saveKeyset, batchSize, progress);
        progress.done();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key", outcome.newKeyId());
        data.put("values", outcome.values());
        data.put("resumed", outcome.resumed());
        data.put("disabled", outcome.disabled());
        data.put("unreadable", outcome.unreadable());
        data.put("keyset", file.toString());
        session.output(spec).success(data, Table.keyValue().row("new primary key", outcome.newKeyId())
                .row("values re-encrypted", outcome.values())
                .row("resumed", outcome.resumed() ? "yes (an interrupted rotation was finished)" : "no")
                .row("old keys disabled", outcome.disabled().isEmpty() ? "none"
                        : outcome.disabled().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .row("values that did not open", outcome.unreadable() == 0 ? "none" : outcome.unreadable()
                        + " (left as they were)")
                .row("keyset", file + " (replace every copy of it)"));
        if (outcome.unreadable() > 0) {
            session.err().println("cim: warning: " + outcome.unreadable() + " stored values did not open (altered in "
                    + "the database, or moved from another record) and were left as they were; they open nowhere "
                    + "now: " + String.join(", ", outcome.unreadableAt()) + (outcome.unreadable() > outcome
                    .unreadableAt().size() ? " …" : "") + "; restore them from a backup");
            session.err().flush();
        }
        return 0;
    }

    private int rotateBlindIndex(Session session, Database db, FieldProtector current, Path file) {
        Progress progress = new Progress(session.err(), "re-keying", 0, session.progress());
        BlindIndexRotation.Outcome outcome = new BlindIndexRotation(db, session.audit(db))
                .rotate(current.keyring(), session::saveKeyset, batchSize, progress);
        progress.done();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("blind_index_key", outcome.newKeyId());
        data.put("retired", outcome.oldKeyId());
        data.put("records", outcome.records());
        data.put("customers", outcome.customers());
        data.put("match_keys", outcome.matchKeys());
        data.put("unreadable", outcome.unreadable());
        data.put("resumed", outcome.resumed());
        data.put("keyset", file.toString());
        session.output(spec).success(data, Table.keyValue().row("new blind-index key", outcome.newKeyId())
                .row("retired key", outcome.oldKeyId())
                .row("source records re-keyed", outcome.records())
                .row("golden records re-keyed", outcome.customers())
                .row("match keys re-keyed", outcome.matchKeys())
                .row("values that did not open", outcome.unreadable() == 0 ? "none"
                        : outcome.unreadable() + " (altered in the database: left without an index; restore them "
                        + "from a backup)")
                .row("resumed", outcome.resumed() ? "yes (an interrupted rotation was finished)" : "no")
                .row("keyset", file + " (replace every copy of it)"));
        return 0;
    }
}
