package cim.core.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting of cim, declared once: flag, environment variable, config-file key, default and description.
 * The command line builds its options from this list, and the help text shows all of it.
 * Precedence is flag, then environment, then config file, then default ({@link Settings}).
 */
public enum Setting {
    DB_URL("--db", null, "CIM_DB_URL", "db.url", "URL", Kind.TEXT, "embedded",
            "JDBC URL of the central database (jdbc:postgresql://host:5432/db), or 'embedded' for the local H2 file"),
    DB_USER("--db-user", null, "CIM_DB_USER", "db.user", "NAME", Kind.TEXT, null,
            "database user (PostgreSQL); default: the driver's default, or the user in the URL"),
    DB_PASSWORD_FILE("--db-password-file", null, "CIM_DB_PASSWORD_FILE", "db.password-file", "FILE", Kind.PATH, null,
            "file holding the database password; else ~/.pgpass, a prompt on a terminal, or CIM_DB_PASSWORD (CI)"),
    KEYSET("--keyset", null, "CIM_KEYSET", "keyset.file", "FILE", Kind.PATH, null,
            "Tink keyset protecting tier-1 values (made by 'cim keys init')"),
    CONFIG("--config", null, "CIM_CONFIG", null, "FILE", Kind.PATH, null,
            "config file of key=value lines; default ${XDG_CONFIG_HOME:-~/.config}/cim/cim.conf"),
    HOME("--home", null, "CIM_HOME", "home", "DIR", Kind.PATH, null,
            "where the embedded database and keyset live; default ${XDG_DATA_HOME:-~/.local/share}/cim (the keyset "
                    + "wrapped under ~/.config/cim/keyset-wrap.key, or CIM_KEYSET_PASSPHRASE)"),
    ACTOR("--actor", null, "CIM_ACTOR", "actor", "NAME", Kind.TEXT, null,
            "who is acting, for the audit trail; default: the OS user"),
    TRUST("--trust", null, "CIM_TRUST", "codes.trust", "CHANNELS", Kind.TEXT, null,
            "channel trust order to try in a 'codes assign --dry-run' (a real run uses the policy's: cim policy)"),
    OUTPUT("--output", "-o", "CIM_OUTPUT", "output", "FORMAT", Kind.TEXT, "table",
            "output format: table, json or csv"),
    QUIET("--quiet", "-q", "CIM_QUIET", "quiet", null, Kind.FLAG, "false",
            "print only data and errors: no notices, and commands that change data or check things print nothing "
                    + "on success (-o json still prints its document)"),
    VERBOSE("--verbose", "-v", "CIM_VERBOSE", "verbose", null, Kind.FLAG, "false",
            "print more detail, and stack traces with errors"),
    NO_COLOR("--no-color", null, "NO_COLOR", "no-color", null, Kind.FLAG, "false",
            "no colour (also off when stdout is not a terminal)"),
    NO_PROGRESS("--no-progress", null, "CIM_NO_PROGRESS", "no-progress", null, Kind.FLAG, "false",
            "no progress bars (also off when stderr is not a terminal)"),
    METRICS_FILE("--metrics-file", null, "CIM_METRICS_FILE", "metrics.file", "FILE", Kind.PATH, null,
            "write the run's metrics (Prometheus text format, for node_exporter's textfile collector) to FILE when it "
                    + "ends, atomically; a directory gets cim_COMMAND.prom, one file per command");

    /** How a value is read. */
    public enum Kind { TEXT, PATH, FLAG }

    /** The values --output takes. */
    public static final String[] OUTPUT_FORMATS = {"table", "json", "csv"};

    private final String flag;
    private final String shortFlag;
    private final String envVar;
    private final String key;
    private final String paramLabel;
    private final Kind kind;
    private final String defaultValue;
    private final String description;

    Setting(String flag, String shortFlag, String envVar, String key, String paramLabel, Kind kind, String defaultValue, String description) {
        this.flag = flag;
        this.shortFlag = shortFlag;
        this.envVar = envVar;
        this.key = key;
        this.paramLabel = paramLabel;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public Optional<String> shortFlag() {
        return Optional.ofNullable(shortFlag);
    }

    public String paramLabel() {
        return paramLabel;
    }

    public Kind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable; {@code CONFIG} is read from it too, but has no config-file key. */
    public String envVar() {
        return envVar;
    }

    /** The config-file key, or null for {@code --config} itself. */
    public String key() {
        return key;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> key.equals(s.key())).findFirst();
    }

    /** The default config file, following the XDG base-directory convention. */
    public static Path defaultConfigFile(java.util.Map<String, String> env) {
        return xdg(env, "XDG_CONFIG_HOME", ".config").resolve("cim").resolve("cim.conf");
    }

    /** The default home of the embedded database and keyset. */
    public static Path defaultHome(java.util.Map<String, String> env) {
        return xdg(env, "XDG_DATA_HOME", ".local/share").resolve("cim");
    }

    private static Path xdg(java.util.Map<String, String> env, String variable, String fallback) {
        String dir = env.get(variable);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home")).resolve(fallback);
    }
}
