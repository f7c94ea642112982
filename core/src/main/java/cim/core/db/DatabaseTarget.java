package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.config.Setting;

import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Which database to use: the embedded H2 file under the cim home, or a JDBC URL given by {@code --db}.
 * Parsing validates the URL before any connection is tried.
 */
public record DatabaseTarget(Backend backend, String jdbcUrl, Path embeddedFile) {
    /** H2 in PostgreSQL mode; lower-case names as jOOQ renders them. */
    private static final String H2_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";LOCK_TIMEOUT=10000";
    /** A jdbc:h2: URL given with --db: other processes share the file via AUTO_SERVER. */
    static final String H2_OPTIONS = H2_MODE + ";AUTO_SERVER=TRUE";
    /**
     * The embedded database: cim runs take turns on it ({@link EmbeddedLock}), so H2 locks the file with the
     * operating system's lock instead of writing a lock file beside it, which a full disk would refuse: after a run
     * that filled the disk, the database still opens (and gives back the space the failed run took).
     */
    static final String H2_EMBEDDED_OPTIONS = H2_MODE + ";FILE_LOCK=FS";

    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:password|sslpassword|sslkey)=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*):[^@/]*@");

    public static DatabaseTarget parse(String url, Path home) {
        if (url == null || url.isBlank() || url.equals("embedded")) {
            Path base = home.resolve("cim");
            return new DatabaseTarget(Backend.H2, "jdbc:h2:file:" + base.toAbsolutePath() + H2_EMBEDDED_OPTIONS,
                    home.resolve("cim.mv.db").toAbsolutePath());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseTarget(Backend.POSTGRESQL, url, null);
        }
        if (url.startsWith("jdbc:h2:")) {
            return new DatabaseTarget(Backend.H2, url.contains(";MODE=") ? url : url + H2_OPTIONS, null);
        }
        throw new CimException(Failure.CONFIGURATION, Setting.DB_URL.flag() + ": '" + mask(url)
                + "' is not a database cim supports",
                "use --db jdbc:postgresql://HOST:5432/DATABASE for the central database, or --db embedded");
    }

    public boolean embedded() {
        return embeddedFile != null;
    }

    /** The URL with any password in it replaced by ***, for printing and for the audit trail. */
    public String displayUrl() {
        return mask(jdbcUrl.replace(H2_OPTIONS, "").replace(H2_EMBEDDED_OPTIONS, ""));
    }

    /** Whether the URL itself carries a password (which then shows in ps and in shell history). */
    public boolean holdsPassword() {
        return !mask(jdbcUrl).equals(jdbcUrl);
    }

    public static String mask(String url) {
        String masked = SECRET_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1:***@");
    }

    /** host:port for messages about an unreachable server. */
    public String hostAndPort() {
        if (backend != Backend.POSTGRESQL) {
            return embedded() ? embeddedFile.toString() : jdbcUrl;
        }
        try {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            return host + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
        } catch (IllegalArgumentException e) {
            return displayUrl();
        }
    }
}
