package cim.cli.keys;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Columns;
import cim.core.db.Database;
import cim.core.protect.Keyring;
import cim.core.protect.KeysStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim keys status`: the keyset's keys and what the database knows of them. */
@Command(name = KeysStatusCommand.NAME, sortOptions = false,
        header = "Show the keys: which is primary, which the database uses, any unfinished rotation.",
        description = "Status 'primary' encrypts new values; 'enabled' still protects values (a rotation is "
                + "under way); 'retired' protects nothing any more. 'in keyset' says whether the keyset file has it "
                + "('disabled': a rotation finished with it, so it opens nothing). Values sealed before they were bound "
                + "to their record (cim1:, from older versions) are counted (unbound_values): 'cim keys rotate' binds "
                + "them.")
public final class KeysStatusCommand implements Callable<Integer> {
    public static final String NAME = "status";

    @Spec
    private CommandSpec spec;

    private static final Columns<KeysStatus.Key> KEYS = Columns.<KeysStatus.Key>empty()
            .add("purpose", "purpose", KeysStatus.Key::purpose)
            .add("key", "key_id", KeysStatus.Key::id)
            .add("status", "status", KeysStatus.Key::status)
            .add("in keyset", "in_keyset", k -> k.disabledInKeyset() ? "disabled" : k.inKeyset() ? "yes" : "NO",
                    KeysStatus.Key::inKeyset)
            .jsonOnly("disabled_in_keyset", KeysStatus.Key::disabledInKeyset)
            .tableOnly("since", KeysStatus.Key::since);

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        Path file = keysetFileOrNull(session, db);
        Keyring keyring = file != null && Files.exists(file) ? session.readKeyset(file) : null;

        KeysStatus status = KeysStatus.of(db.dsl(), keyring);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyset", file == null ? null : file.toString());
        data.put("keyset_exists", keyring != null);
        data.put("keys", KEYS.json(status.keys()));
        data.put("rotation_running", status.rotationRunning());
        data.put("rotation_purpose", status.rotationPurpose());
        long unbound = status.unboundValues();
        data.put("unbound_values", unbound);
        session.output(spec).success(data, KEYS.table(status.keys()));
        if (!session.quiet() && session.output(spec).format() == cim.cli.Output.Format.TABLE) {
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().println(file == null ? "keyset: none given (--keyset)"
                    : "keyset: " + file + (keyring == null ? " (missing)" : ""));
            if (status.rotationRunning()) {
                spec.commandLine().getOut().println("a rotation is unfinished: run 'cim keys rotate"
                        + (status.blindIndexRotation() ? " --blind-index" : "") + "' to finish it");
            }
            if (unbound > 0) {
                spec.commandLine().getOut().println(unbound + " values were sealed before values were bound to their "
                        + "record (cim1:): run 'cim keys rotate' to bind them");
            }
            spec.commandLine().getOut().flush();
        }
        return ExitCode.OK.code();
    }

    /** Status is useful without a keyset too: it then shows what the database knows. */
    private static Path keysetFileOrNull(Session session, Database db) {
        try {
            return session.keysetFile(db.target());
        } catch (cim.core.CimException e) {
            return null;
        }
    }
}
