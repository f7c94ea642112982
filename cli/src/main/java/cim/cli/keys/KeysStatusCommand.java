package cim.cli.keys;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.protect.Keyring;
import cim.core.protect.KeysStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        Path file = keysetFileOrNull(session, db);
        Keyring keyring = file != null && Files.exists(file) ? session.readKeyset(file) : null;

        KeysStatus status = KeysStatus.of(db.dsl(), keyring);
        Table table = new Table("purpose", "key", "status", "in keyset", "since");
        List<Map<String, Object>> keys = new ArrayList<>();
        for (KeysStatus.Key k : status.keys()) {
            table.row(k.purpose(), k.id(), k.status(), k.disabledInKeyset() ? "disabled" : k.inKeyset() ? "yes" : "NO",
                    k.since());
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("purpose", k.purpose());
            key.put("key_id", k.id());
            key.put("status", k.status());
            key.put("in_keyset", k.inKeyset());
            key.put("disabled_in_keyset", k.disabledInKeyset());
            keys.add(key);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyset", file == null ? null : file.toString());
        data.put("keyset_exists", keyring != null);
        data.put("keys", keys);
        data.put("rotation_running", status.rotationRunning());
        data.put("rotation_purpose", status.rotationPurpose());
        long unbound = status.unboundValues();
        data.put("unbound_values", unbound);
        session.output(spec).success(data, table);
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
