package cim.cli.keys;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.db.Database;
import cim.core.protect.KeyBinding;
import cim.core.protect.Keyring;
import org.jooq.Record;
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

import static cim.core.db.schema.Tables.KEY_REGISTRY;
import static cim.core.db.schema.Tables.KEY_ROTATION;

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

        Table table = new Table("purpose", "key", "status", "in keyset", "since");
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Record r : KeyBinding.registered(db.dsl())) {
            String purpose = r.get(KEY_REGISTRY.PURPOSE);
            long id = r.get(KEY_REGISTRY.KEY_ID);
            boolean inKeyset = keyring != null && ("blind_index".equals(purpose) ? keyring.blindIndexKeys().contains(id)
                    : keyring.encryptionKeys().contains(id));
            boolean disabled = inKeyset && !"blind_index".equals(purpose)
                    && !keyring.enabledEncryptionKeys().contains(id);
            table.row(purpose, id, r.get(KEY_REGISTRY.STATUS), disabled ? "disabled" : inKeyset ? "yes" : "NO",
                    r.get(KEY_REGISTRY.CREATED_AT).toInstant());
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("purpose", purpose);
            key.put("key_id", id);
            key.put("status", r.get(KEY_REGISTRY.STATUS));
            key.put("in_keyset", inKeyset);
            key.put("disabled_in_keyset", disabled);
            keys.add(key);
        }
        Record running = db.dsl().select().from(KEY_ROTATION).where(KEY_ROTATION.STATE.eq("running")).fetchAny();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyset", file == null ? null : file.toString());
        data.put("keyset_exists", keyring != null);
        data.put("keys", keys);
        data.put("rotation_running", running != null);
        data.put("rotation_purpose", running == null ? null : running.get(KEY_ROTATION.PURPOSE));
        long unbound = cim.core.protect.KeyRotation.unboundValues(db.dsl());
        data.put("unbound_values", unbound);
        session.output(spec).success(data, table);
        if (!session.quiet() && session.output(spec).format() == cim.cli.Output.Format.TABLE) {
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().println(file == null ? "keyset: none given (--keyset)"
                    : "keyset: " + file + (keyring == null ? " (missing)" : ""));
            if (running != null) {
                boolean blind = "blind_index".equals(running.get(KEY_ROTATION.PURPOSE));
                spec.commandLine().getOut().println("a rotation is unfinished: run 'cim keys rotate"
                        + (blind ? " --blind-index" : "") + "' to finish it");
            }
            if (unbound > 0) {
                spec.commandLine().getOut().println(unbound + " values were sealed before values were bound to their "
                        + "record (cim1:): run 'cim keys rotate' to bind them");
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
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
