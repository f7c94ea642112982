package cim.core.protect;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import org.jooq.DSLContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one entry point to a run's protection of tier-1 values: reads the keyset once (the embedded database's is made
 * on first use, wrapped under a key kept outside the cim home), binds it to the database (a keyset the database does
 * not know is refused), and only then wraps an embedded keyset found in clear, so that a keyset planted in the home
 * is refused, not adopted. A run asks it for its protector; it decides when a keyset is created or rewritten.
 */
public final class Protection {
    private final Path file;
    private final boolean embeddedDefault;
    private final KeysetWrap wrap;
    private final Consumer<String> notice;
    private Keyring keyring;
    private KeysetWrap wrapUsed;
    private boolean clearInHome;
    private FieldProtector protector;

    /**
     * @param file the keyset file
     * @param embeddedDefault whether it is the embedded database's own keyset in the cim home (made on first use)
     * @param wrap how an embedded keyset is wrapped (a passphrase, or the wrap key in the config directory)
     * @param notice where what it did is told ("created the keyset …")
     */
    public Protection(Path file, boolean embeddedDefault, KeysetWrap wrap, Consumer<String> notice) {
        this.file = file;
        this.embeddedDefault = embeddedDefault;
        this.wrap = wrap;
        this.notice = notice;
    }

    public Path file() {
        return file;
    }

    /** The keyset's keys, read once; a missing or unreadable keyset fails here (the embedded one is made). */
    public Keyring keyring() {
        if (keyring == null) {
            if (Files.exists(file) || !embeddedDefault) {
                KeysetFile.Read read = KeysetFile.read(file, wrap);
                keyring = read.keyring();
                wrapUsed = read.wrap();
                if (read.wrapped() && wrap.byPassphrase() && !read.wrap().byPassphrase()) {
                    notice.accept("CIM_KEYSET_PASSPHRASE is set, but the keyset " + file + " is wrapped under "
                            + read.wrap().describe() + ": the passphrase is not used");
                }
                clearInHome = embeddedDefault && !read.wrapped();
            } else {
                keyring = Keyring.generate();
                KeysetFile.create(file, keyring, wrap);
                wrapUsed = wrap;
                notice.accept("created the keyset " + file + " for the embedded database, wrapped under "
                        + wrap.describe() + "; back both up, apart: without them the tier-1 values cannot be read");
            }
        }
        return keyring;
    }

    /**
     * The protector, its keyset bound to the database (checked against the keys it registered). {@code rekeying}:
     * for {@code keys rotate --blind-index}, which binds while a blind-index rotation is unfinished, as every other
     * command may not.
     */
    public FieldProtector protector(DSLContext dsl, Supplier<AuditContext> context, boolean rekeying) {
        if (protector == null) {
            Keyring keys = keyring();
            KeyBinding.bind(dsl, keys, file.toString(), new AuditTrail(context.get(), keys.auditKey()), rekeying);
            if (clearInHome) {
                // only once the database has accepted it: a keyset planted in the home is refused, not adopted
                KeysetFile.write(file, keys, wrap);
                wrapUsed = wrap;
                clearInHome = false;
                notice.accept("wrapped the embedded keyset " + file + " under " + wrap.describe() + ", so that a "
                        + "copy of the cim home alone reveals no tier-1 value; back the wrap up apart from the home "
                        + "(backups of the keyset made before still open the data)");
            }
            protector = new FieldProtector(keys);
        }
        return protector;
    }

    /**
     * Saves a changed keyset (a rotation's) in the form its file had: in clear stays in clear, wrapped stays wrapped
     * the same way (a passphrase set since does not take over).
     */
    public void save(Keyring changed) {
        KeysetFile.write(file, changed, wrapUsed);
    }
}
