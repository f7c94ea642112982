package cim.cli.keys;

import cim.cli.Session;
import cim.cli.render.Progress;
import cim.cli.render.Table;
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
        header = "Add a new primary encryption key and re-encrypt every protected value under it.",
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
            "Afterwards every copy of the keyset must be replaced by the new file; keep the old file with the "
                + "backups taken before the rotation."})
public final class KeysRotateCommand implements Callable<Integer> {
    public static final String NAME = "rotate";

    @Spec
    private CommandSpec spec;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Reclassification.DEFAULT_BATCH,
            description = "rows re-encrypted per transaction (default ${DEFAULT-VALUE})")
    private int batchSize;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be 1 or more");
        }
        Session session = Session.of(spec);
        Database db = session.database(true);
        FieldProtector current = session.protector(db);
        Path file = session.keysetFile(db.target());
        Progress progress = new Progress(session.err(), "re-encrypting", 0, session.progress());
        KeyRotation.Outcome outcome = new KeyRotation(db.dsl(), session.audit(db))
                .rotate(current.keyring(), keyring -> session.saveKeyset(file, keyring), batchSize, progress);
        progress.done();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key", outcome.newKeyId());
        data.put("values", outcome.values());
        data.put("resumed", outcome.resumed());
        data.put("disabled", outcome.disabled());
        data.put("keyset", file.toString());
        session.output(spec).success(data, Table.keyValue().row("new primary key", outcome.newKeyId())
                .row("values re-encrypted", outcome.values())
                .row("resumed", outcome.resumed() ? "yes (an interrupted rotation was finished)" : "no")
                .row("old keys disabled", outcome.disabled().isEmpty() ? "none"
                        : outcome.disabled().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .row("keyset", file + " (replace every copy of it)"));
        return 0;
    }
}
