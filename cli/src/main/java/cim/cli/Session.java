package cim.cli;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.config.Setting;
import cim.core.config.Settings;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;
import cim.core.db.Migrations;
import cim.core.db.SchemaUpgrade;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeyBinding;
import cim.core.protect.Keyring;
import cim.core.protect.KeysetFile;
import cim.core.protect.KeysetWrap;
import cim.core.protect.Protection;
import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one execution of a command works with: the resolved settings, the database (opened on first use, closed at
 * the end), the audit trail and the output. Commands get it through {@link #of(CommandSpec)}.
 */
public final class Session implements AutoCloseable {
    private final Map<Setting, String> flags;
    private final Map<String, String> env;
    private final List<String> args;
    private final PrintWriter err;
    private Settings settings;
    private Database database;
    /** The protection of tier-1 values, for the one database a run works on (made on first use). */
    private Protection protection;
    private boolean changesData;
    private cim.core.db.EmbeddedLock embeddedLock;
    /** What --metrics-file writes when the run ends. */
    private final RunMetrics metrics;
    /** The run was refused because its metrics could not be written: it says so once, in its error. */
    private boolean metricsRefused;
    private final boolean metered;

    /** @param metered whether this run writes --metrics-file (not help, nor the steps of a shell or the demo) */
    Session(Map<Setting, String> flags, Map<String, String> env, List<String> args, PrintWriter err, String command,
            boolean metered) {
        this.flags = new EnumMap<>(Setting.class);
        this.flags.putAll(flags);
        this.env = env;
        this.args = args;
        this.err = err;
        this.metrics = new RunMetrics(command);
        this.metered = metered;
    }

    /** The run's metrics, which a command tells what its summary does not hold (a quality check's scores). */
    public RunMetrics metrics() {
        return metrics;
    }

    /** Where --metrics-file (CIM_METRICS_FILE, metrics.file) sends the run's metrics; null when nowhere. */
    private Path metricsFile() {
        if (!metered) {
            return null;
        }
        Settings resolved = settingsOrNull();
        return resolved == null ? null : resolved.path(Setting.METRICS_FILE);
    }

    /** Refuses the run before it starts when its metrics could not be written at its end. */
    void checkMetricsFile() {
        Path file = metricsFile();
        if (file != null) {
            try {
                RunMetrics.checkWritable(file);
            } catch (CimException e) {
                metricsRefused = true;
                throw e;
            }
        }
    }

    /**
     * Writes the run's metrics, after {@link #close()}: a failure to write them is a warning on stderr, as the run
     * itself is over (its exit code stands, and the metrics' end time, not updated, shows that they are missing).
     */
    void writeMetrics(int exit) {
        Path file = metricsFile();
        if (file != null && !metricsRefused) {
            try {
                metrics.write(file, exit);
            } catch (RuntimeException e) {
                // never in place of the run's own outcome
                err.println("cim: warning: the run's metrics were not written: " + e.getMessage());
                err.flush();
            }
        }
    }

    public static Session of(CommandSpec spec) {
        return ((CimCommand) spec.root().userObject()).session();
    }

    /** The settings, resolved and validated on first use (a bad setting fails the command, exit 78). */
    public Settings settings() {
        if (settings == null) {
            try {
                settings = Settings.resolve(flags, env);
            } catch (CimException e) {
                if (e.failure() == Failure.CONFIGURATION && e.getMessage().startsWith("--output")
                        && flags.containsKey(Setting.OUTPUT)) {
                    throw new CimException(Failure.USAGE, e.getMessage(), e.hint());
                }
                throw e;
            }
        }
        return settings;
    }

    /** The settings if they resolve, else null; for error reporting, which must not fail itself. */
    Settings settingsOrNull() {
        try {
            return settings();
        } catch (CimException e) {
            return null;
        }
    }

    public DatabaseTarget target() {
        return DatabaseTarget.parse(settings().text(Setting.DB_URL), settings().home());
    }

    /**
     * The database, opened on first use, with its schema current: the embedded database is brought up to date
     * on the spot (it is cim's own file); a central database must be migrated by 'cim db migrate' first.
     *
     * A command that writes says so with {@link #databaseToChange}; on the embedded database that is said on stderr.
     */
    public Database databaseToRead() {
        return database(false);
    }

    /** The database for a command that changes data: see {@link #databaseToRead}. */
    public Database databaseToChange() {
        return database(true);
    }

    private Database database(boolean changesData) {
        Database db = connect(changesData);
        if (db.target().embedded()) {
            SchemaUpgrade.run(db, () -> audit(db));
        } else {
            new Migrations(db).requireCurrent();
        }
        return db;
    }

    /** The database as it is, schema or not (for `db status`). */
    public Database connectToRead() {
        return connect(false);
    }

    /** The database as it is, schema or not, to change (for `db migrate`). */
    public Database connectToChange() {
        return connect(true);
    }

    private Database connect(boolean changesData) {
        // only a run that changes data compacts the embedded file at its end (never a read-only one)
        this.changesData |= changesData;
        if (database == null) {
            DatabaseTarget target = target();
            if (changesData && target.embedded()) {
                notice("using the embedded database " + target.embeddedFile()
                        + "; point --db (or CIM_DB_URL) at jdbc:postgresql://HOST:5432/DB for the central database");
            }
            if (flags.containsKey(Setting.DB_URL) && target.holdsPassword()) {
                notice("warning: the --db URL holds a password, which every user of this machine can read "
                        + "with ps; give it with --db-password-file (or ~/.pgpass) instead");
            }
            Keyring.Preparation.startInBackground();
            if (target.embedded() && embeddedLock == null) {
                // one run at a time on the embedded file: the others queue here, then exit 75
                embeddedLock = cim.core.db.EmbeddedLock.acquire(settings().home(), cim.core.db.EmbeddedLock.WAIT,
                        () -> notice("waiting for another cim run on the embedded database (up to "
                                + cim.core.db.EmbeddedLock.WAIT.toSeconds() + " s) ..."));
            }
            database = Database.open(target, Credentials.from(settings()), passwordPrompt());
        }
        return database;
    }

    private static Supplier<String> passwordPrompt() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        return () -> {
            char[] password = console.readPassword("database password: ");
            return password == null ? "" : new String(password);
        };
    }

    /**
     * The protection of tier-1 values, its keyset checked against the database. The embedded database keeps its
     * keyset in the cim home and makes it on first use; any other database needs --keyset.
     */
    public FieldProtector protector(Database db) {
        return protector(db, false);
    }

    /**
     * As {@link #protector(Database)}, for {@code keys rotate --blind-index} ({@code rekeying}): it binds while a
     * blind-index rotation is unfinished, which every other command is refused.
     */
    public FieldProtector protector(Database db, boolean rekeying) {
        // the run's context (its host name may take a while to learn) only for the one binding
        return protection(db.target()).protector(db.dsl(), this::auditContext, rekeying);
    }

    /** Reads the keyset (made on first use for the embedded database); a missing or unreadable one fails here. */
    public void keyset(DatabaseTarget target) {
        protection(target).keyring();
    }

    /** The run's protection: its keyset file, read (or, for the embedded database, made) on first use. */
    private Protection protection(DatabaseTarget target) {
        if (protection == null) {
            protection = new Protection(keysetFile(target), settings().path(Setting.KEYSET) == null, keysetWrap(),
                    this::notice);
        }
        return protection;
    }

    /** One "cim: …" line on stderr, unless --quiet. */
    public void notice(String text) {
        if (!quiet()) {
            err.println("cim: " + text);
            err.flush();
        }
    }

    /** The protection of the embedded keyset: CIM_KEYSET_PASSPHRASE, or the wrap key in the config directory. */
    private KeysetWrap keysetWrap() {
        return KeysetWrap.of(Setting.defaultConfigFile(env).getParent(), env.get("CIM_KEYSET_PASSPHRASE"));
    }

    /** Reads a keyset file as this run would (wrapped or in clear), without keeping it: for keys status. */
    public Keyring readKeyset(Path file) {
        return KeysetFile.read(file, keysetWrap()).keyring();
    }

    /**
     * Saves a changed keyset (a rotation's) where it was read from, in the form its file had: in clear stays in
     * clear, wrapped stays wrapped the same way (a passphrase set since does not take over).
     */
    public void saveKeyset(Keyring changed) {
        protection.save(changed);
    }

    /** Where the keyset is: --keyset, or for the embedded database keyset.json in the cim home. */
    public Path keysetFile(DatabaseTarget target) {
        Path given = settings().path(Setting.KEYSET);
        if (given != null) {
            return given;
        }
        if (target.embedded()) {
            return settings().home().resolve("keyset.json");
        }
        // a missing key for protected data (SPEC: 77), not a mistake in the settings
        throw new CimException(Failure.NOT_PERMITTED, "--keyset is required for the database at "
                + target.hostAndPort() + " (its tier-1 values are encrypted)",
                "give --keyset FILE (or CIM_KEYSET, or keyset.file in the config file); "
                        + "a new database's keyset is made by 'cim keys init --out FILE'");
    }

    /**
     * The audit trail of this run on {@code db}: its links are keyed with the audit key of the keyset, which is
     * checked against the database at the first append (so a wrong keyset is refused, exit 77, rather than writing
     * bad links, and a dry run that appends nothing needs no keyset).
     */
    /**
     * The trail of this command's changes. Each append also checks that the keyset's primary key is still the
     * database's, so that nothing sealed under a key a rotation has retired is committed.
     */
    public AuditTrail audit(Database db) {
        return new AuditTrail(auditContext(), () -> auditKey(db))
                .guardedBy(tx -> KeyBinding.requirePrimary(tx, protection.keyring()));
    }

    /** The audit chain's key, from the keyset checked against {@code db}. */
    public cim.core.audit.AuditKey auditKey(Database db) {
        return protector(db).keyring().auditKey();
    }

    private AuditContext auditContext() {
        return AuditContext.of(settings().actor(), CommandLineText.masked(args));
    }

    /**
     * The policy in force (checked against its signature). {@code --trust} (CIM_TRUST, codes.trust) only tries
     * another channel order in a dry run: a run that changes data follows the policy, so it is refused there.
     */
    public cim.core.policy.Policy policy(Database db, boolean dryRun) {
        if (!dryRun && settings().text(cim.core.config.Setting.TRUST) != null) {
            throw settings().invalid(cim.core.config.Setting.TRUST, "the channel trust order is part of the policy "
                    + "now; --trust only tries another order with 'codes assign --dry-run'", "set merging.trust in "
                    + "the policy ('cim policy show --yaml > p.yaml', edit, 'cim policy set p.yaml --reason …'), and "
                    + "take --trust, CIM_TRUST or codes.trust away");
        }
        return cim.core.policy.PolicyStore.current(db.dsl(), auditKey(db)).policy();
    }

    public Output output(CommandSpec spec) {
        String name = Output.commandName(spec);
        return new Output(spec.commandLine().getOut(), format(), name, quiet() && SUMMARIES.contains(name),
                metrics::result);
    }

    /**
     * The commands that change data or check things: under --quiet they print nothing when they succeed (their
     * summary), so that cron mails only errors. Commands whose purpose is to show data print it whatever --quiet says.
     */
    static final java.util.Set<String> SUMMARIES = java.util.Set.of("import", "export", "codes assign",
            "codes merge", "codes unmerge", "codes review accept", "codes review reject", "tiers set", "tiers verify",
            "keys init", "keys rotate", "db migrate", "db grant", "audit verify", "audit anchor", "quality check",
            "policy set", "channels add", "channels set", "sample generate", "codes correct", "codes erase",
            "codes report");

    Output.Format format() {
        return Output.Format.valueOf(settings().text(Setting.OUTPUT).toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether progress bars may be drawn: stderr is a terminal and --no-progress was not given. */
    public boolean progress() {
        return System.console() != null && !settings().flag(Setting.NO_PROGRESS) && !quiet();
    }

    public PrintWriter err() {
        return err;
    }

    public boolean quiet() {
        return settings().flag(Setting.QUIET);
    }

    /** The global flags of this run, for a command that runs further commands (shell, demo). */
    Map<Setting, String> flags() {
        return flags;
    }

    /** The audit trail's head, for the metrics, when this run's role may read the trail (best effort). */
    private void auditHeadForMetrics(Database db) {
        try {
            if (db.backend().engine().mayRead(db.dsl(), cim.core.db.schema.Tables.AUDIT_EVENT)) {
                Long head = db.dsl().select(org.jooq.impl.DSL.max(cim.core.db.schema.Tables.AUDIT_EVENT.SEQ))
                        .from(cim.core.db.schema.Tables.AUDIT_EVENT).fetchOne(0, Long.class);
                if (head != null) {
                    metrics.auditHead(head);
                }
            }
        } catch (RuntimeException e) {
            // no schema yet, or the database went away: the metrics go without it
        }
    }

    @Override
    public void close() {
        try {
            if (database != null && metricsFile() != null) {
                auditHeadForMetrics(database);
            }
            if (database != null) {
                if (changesData) {
                    database.compactIfWasteful(this::notice);
                }
                database.close();
            }
        } finally {
            database = null;
            // also when opening the database failed after the lock was taken
            if (embeddedLock != null) {
                embeddedLock.close();
                embeddedLock = null;
            }
        }
    }
}
