package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.function.Supplier;

/** An open connection pool to the cim database, and the jOOQ context over it. */
public final class Database implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final DatabaseTarget target;
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private Database(DatabaseTarget target, HikariDataSource dataSource) {
        this.target = target;
        this.dataSource = dataSource;
        Settings settings = new Settings()
                .withRenderSchema(false)
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
        this.dsl = DSL.using(dataSource, target.backend().dialect(), settings);
    }

    /**
     * Opens the pool and checks the login at once, so that an unreachable server is reported within seconds.
     *
     * @param passwordPrompt asked for a password when the server wants one and none was given; null when there is
     *                       no terminal to ask on
     */
    public static Database open(DatabaseTarget target, Credentials credentials, Supplier<String> passwordPrompt) {
        if (target.embedded()) {
            createHome(target);
        }
        try {
            return new Database(target, pool(target, credentials));
        } catch (HikariPool.PoolInitializationException e) {
            SQLException cause = sqlCause(e);
            if (passwordPrompt != null && !credentials.hasPassword() && isMissingPassword(cause)) {
                return open(target, credentials.withPassword(passwordPrompt.get()), null);
            }
            throw unavailable(target, cause != null ? cause : e);
        }
    }

    private static HikariDataSource pool(DatabaseTarget target, Credentials credentials) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cim");
        config.setJdbcUrl(target.jdbcUrl());
        if (credentials.user() != null) {
            config.setUsername(credentials.user());
        }
        if (credentials.password() != null) {
            config.setPassword(credentials.password());
        }
        // codes assign alone holds five at once: its lock, reading ahead, matching, writing, statistics
        config.setMaximumPoolSize(Math.max(5, Runtime.getRuntime().availableProcessors() + 2));
        config.setMinimumIdle(0);
        config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
        config.setInitializationFailTimeout(1);
        config.setAutoCommit(true);
        if (target.backend() == Backend.POSTGRESQL) {
            config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            config.addDataSourceProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            config.addDataSourceProperty("ApplicationName", "cim");
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(config);
    }

    /** The home holds the database and, later, the keyset: only its owner may enter it. */
    private static void createHome(DatabaseTarget target) {
        java.nio.file.Path home = target.embeddedFile().getParent();
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home);
                if (home.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot create the cim home "
                    + target.embeddedFile().getParent() + ": " + e.getMessage(),
                    "set --home (CIM_HOME) to a writable directory");
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static boolean isMissingPassword(SQLException e) {
        return e != null && e.getMessage() != null
                && e.getMessage().contains("no password was provided");
    }

    static CimException unavailable(DatabaseTarget target, Throwable cause) {
        String state = cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
        String detail = rootMessage(cause);
        if (state.startsWith("28") || detail.contains("password")) {
            return new CimException(Failure.DATABASE_UNAVAILABLE, "the database at " + target.hostAndPort()
                    + " refused the login: " + detail,
                    "check --db-user, --db-password-file or ~/.pgpass (CIM_DB_PASSWORD in CI)", cause);
        }
        if (state.equals("3D000")) {
            return new CimException(Failure.DATABASE_UNAVAILABLE, "the database at " + target.hostAndPort()
                    + " does not exist: " + detail, "create it (createdb) or correct --db", cause);
        }
        if (target.backend() == Backend.H2 && detail.contains("Locked by another process")) {
            return new CimException(Failure.LOCKED, "the embedded database " + target.hostAndPort()
                    + " is locked by another process", "try again when the other cim run has finished", cause);
        }
        return new CimException(Failure.DATABASE_UNAVAILABLE, "cannot reach the database at "
                + target.hostAndPort() + ": " + detail,
                target.embedded() ? "check that --home (CIM_HOME) is a writable directory"
                        : "check that PostgreSQL is running there and --db (CIM_DB_URL) is right", cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = e.getMessage() == null ? t.toString() : e.getMessage();
        if (t != e && t.getMessage() != null && !message.contains(t.getMessage())) {
            message += " (" + t.getMessage() + ")";
        }
        return message.lines().findFirst().orElse(message);
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DatabaseTarget target() {
        return target;
    }

    public Backend backend() {
        return target.backend();
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
