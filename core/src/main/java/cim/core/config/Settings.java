package cim.core.config;

import cim.core.CimException;
import cim.core.Failure;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The resolved value of every {@link Setting}, by precedence flag &gt; environment &gt; config file &gt; default,
 * with where each came from. Resolving validates every value, before anything touches a database.
 */
public final class Settings {
    private final Map<Setting, String> values;
    private final Map<Setting, String> origins;
    private final Map<String, String> env;

    private Settings(Map<Setting, String> values, Map<Setting, String> origins, Map<String, String> env) {
        this.values = values;
        this.origins = origins;
        this.env = env;
    }

    /**
     * @param flags the values given on the command line (flags absent from the map were not given)
     * @param env   the process environment
     */
    public static Settings resolve(Map<Setting, String> flags, Map<String, String> env) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Map<Setting, String> origins = new EnumMap<>(Setting.class);
        ConfigFile file = configFile(flags, env);
        for (Setting setting : Setting.values()) {
            String flag = flags.get(setting);
            String fromEnv = blankToNull(env.get(setting.envVar()));
            ConfigFile.Entry entry = file.get(setting);
            if (flag != null) {
                values.put(setting, flag);
                origins.put(setting, "flag " + setting.flag());
            } else if (fromEnv != null) {
                values.put(setting, fromEnv);
                origins.put(setting, "environment variable " + setting.envVar());
            } else if (entry != null) {
                values.put(setting, entry.value());
                origins.put(setting, file.path() + ":" + entry.line() + " (" + setting.key() + ")");
            } else if (setting.defaultValue() != null) {
                values.put(setting, setting.defaultValue());
                origins.put(setting, "default");
            }
        }
        Settings settings = new Settings(values, origins, env);
        settings.validate();
        return settings;
    }

    private static ConfigFile configFile(Map<Setting, String> flags, Map<String, String> env) {
        String named = flags.getOrDefault(Setting.CONFIG, blankToNull(env.get(Setting.CONFIG.envVar())));
        if (named != null) {
            return ConfigFile.read(Path.of(named), true);
        }
        return ConfigFile.read(Setting.defaultConfigFile(env), false);
    }

    private void validate() {
        String output = text(Setting.OUTPUT);
        if (Arrays.stream(Setting.OUTPUT_FORMATS).noneMatch(output::equals)) {
            throw invalid(Setting.OUTPUT, "'" + output + "' is not an output format",
                    "use one of " + String.join(", ", Setting.OUTPUT_FORMATS));
        }
        for (Setting setting : Setting.values()) {
            if (setting.kind() == Setting.Kind.FLAG && values.containsKey(setting)) {
                flag(setting);
            }
        }
        String actor = values.get(Setting.ACTOR);
        if (actor != null && (actor.isBlank() || actor.length() > 100)) {
            throw invalid(Setting.ACTOR, "the actor must be 1 to 100 characters", "give a user or service name");
        }
    }

    /** An error naming the setting, where its value came from, and the fix. */
    public CimException invalid(Setting setting, String problem, String fix) {
        return new CimException(Failure.CONFIGURATION,
                setting.flag() + ": " + problem + " (from " + origin(setting) + ")", fix);
    }

    public String text(Setting setting) {
        return values.get(setting);
    }

    public Path path(Setting setting) {
        String value = values.get(setting);
        return value == null ? null : Path.of(value);
    }

    /** A flag's value; environment and file accept true/false, yes/no, on/off, 1/0, and NO_COLOR any value. */
    public boolean flag(Setting setting) {
        String value = values.get(setting);
        if (value == null) {
            return false;
        }
        if (setting == Setting.NO_COLOR && origin(setting).startsWith("environment")) {
            return true;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw invalid(setting, "'" + value + "' is not true or false", "use true or false");
        }
    }

    /** Where the value came from: a flag, an environment variable, a config-file line, or the default. */
    public String origin(Setting setting) {
        return origins.getOrDefault(setting, "unset");
    }

    public String actor() {
        return Objects.requireNonNullElse(values.get(Setting.ACTOR), System.getProperty("user.name"));
    }

    public Path home() {
        Path home = path(Setting.HOME);
        return home != null ? home : Setting.defaultHome(env);
    }

    public Map<String, String> env() {
        return env;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
