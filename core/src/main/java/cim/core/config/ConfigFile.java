package cim.core.config;

import cim.core.CimException;
import cim.core.Failure;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A cim config file: {@code key = value} lines, {@code #} comments, blank lines; every key one of {@link Setting}. */
public final class ConfigFile {
    private final Path path;
    private final Map<Setting, Entry> entries;

    /** One value and the line it came from, so that a wrong value can be pointed at. */
    public record Entry(String value, int line) { }

    private ConfigFile(Path path, Map<Setting, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    public static ConfigFile empty() {
        return new ConfigFile(null, new EnumMap<>(Setting.class));
    }

    /** Reads the file; a missing file is an error only when {@code required} (it was named explicitly). */
    public static ConfigFile read(Path path, boolean required) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (!required) {
                return empty();
            }
            throw new CimException(Failure.CONFIGURATION, "config file " + path + " does not exist",
                    "create it, or point --config (CIM_CONFIG) at an existing file");
        } catch (MalformedInputException e) {
            throw new CimException(Failure.CONFIGURATION, "config file " + path + " is not UTF-8 text",
                    "save it as UTF-8");
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot read config file " + path + ": " + e.getMessage(),
                    "check the file's permissions");
        }
        Map<Setting, Entry> entries = new EnumMap<>(Setting.class);
        for (int i = 0; i < lines.size(); i++) {
            parseLine(path, i + 1, lines.get(i), entries);
        }
        return new ConfigFile(path, entries);
    }

    private static void parseLine(Path path, int lineNo, String raw, Map<Setting, Entry> entries) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
            // the line is not echoed: it may be a secret written without its key (a cron mail is no place for it)
            throw error(path, lineNo, "expected key = value, found a line of " + line.length() + " characters with "
                    + "no '='", "write one key = value per line (keys: " + knownKeys() + ")");
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        Setting setting = Setting.byKey(key).orElseThrow(() -> error(path, lineNo,
                "unknown key '" + key + "'", "use one of: " + knownKeys()));
        if (key.equals("db.password") || value.isEmpty()) {
            throw error(path, lineNo, "key '" + key + "' has no value", "give a value or delete the line");
        }
        entries.put(setting, new Entry(value, lineNo));
    }

    private static String knownKeys() {
        return Stream.of(Setting.values()).map(Setting::key).filter(k -> k != null).collect(Collectors.joining(", "));
    }

    static CimException error(Path path, int line, String message, String hint) {
        return new CimException(Failure.CONFIGURATION, path + ":" + line + ": " + message, hint);
    }

    public Entry get(Setting setting) {
        return entries.get(setting);
    }

    public Path path() {
        return path;
    }
}
