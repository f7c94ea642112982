package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.io.PrivateFiles;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** An open connection pool to the cim database, and the jOOQ context over it. */
public final class Database implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    static {
        // H2's AUTO_SERVER (on a jdbc:h2: URL given with --db) lets other processes share the file through a TCP
        // port; by default it listens on every interface. Read once when H2 loads, so set before the first connection.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }
    private static final long WASTEFUL_FILE_BYTES = 256L << 20;
    private static final int WASTEFUL_IN_USE_PERCENT = 50;

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
            Database database = new Database(target, pool(target, credentials));
            if (target.embedded()) {
                privateEmbeddedFiles(target);
                try {
                    database.catchUpIdentities();
                } catch (org.jooq.exception.DataAccessException e) {
                    // housekeeping: a counter left behind shows as the insert's own error, which names the table
                }
            }
            return database;
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
        target.backend().engine().configure(config, CONNECT_TIMEOUT_SECONDS);
        return new HikariDataSource(config);
    }

    /**
     * The home holds the database and the keyset: only its owner may enter it, also when it existed before (made by
     * hand with the usual 0755, say).
     */
    private static void createHome(DatabaseTarget target) {
        java.nio.file.Path home = target.embeddedFile().getParent();
        try {
            PrivateFiles.ownerOnlyDirectory(home);
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot create the cim home, or make it private (0700), "
                    + home + ": " + e.getMessage(), "set --home (CIM_HOME) to a directory of your own");
        }
    }

    /** H2 creates its files with the process's umask (often 0644); cim's own are its owner's alone. */
    private static void privateEmbeddedFiles(DatabaseTarget target) {
        try {
            PrivateFiles.ownerOnlyFile(target.embeddedFile());
            PrivateFiles.ownerOnlyFile(target.embeddedFile().resolveSibling(
                    target.embeddedFile().getFileName().toString().replace(".mv.db", ".trace.db")));
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot make the embedded database private (0600) "
                    + target.embeddedFile() + ": " + e.getMessage(), "set --home (CIM_HOME) to a directory of your own");
        }
    }

    /**
     * H2 can recover a file whose run was killed (kill -9) with an identity counter behind the rows that run
     * committed: the next insert would be given a value a row has (KillMatrixTest saw codes assign refused on
     * customer.row_id, exit 70). Each identity column's counter is set past its table's largest value when it is
     * not there already: a lookup in each column's index, 10 to 25 ms an open at 1,000,000 customers.
     */
    private void catchUpIdentities() {
        for (var column : dsl.resultQuery("SELECT table_name, column_name, identity_base FROM information_schema.columns"
                + " WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES'").fetch()) {
            // quoted: the names as H2 stores them, whatever they are
            org.jooq.Name table = DSL.quotedName(column.get(0, String.class));
            org.jooq.Name name = DSL.quotedName(column.get(1, String.class));
            Long largest = dsl.select(DSL.max(DSL.field(name, Long.class))).from(DSL.table(table)).fetchOne(0, Long.class);
            Long next = column.get(2, Long.class);
            if (largest != null && next != null && largest >= next) {
                dsl.execute("ALTER TABLE {0} ALTER COLUMN {1} RESTART WITH {2}", table, name, DSL.inline(largest + 1));
            }
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
        // another process has the file open, such as a cim run on the embedded database while --db names its file
        if (target.backend().engine().inUseByAnotherProcess(state, detail)) {
            return new CimException(Failure.LOCKED, "the H2 database " + target.displayUrl()
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

    /**
     * H2 writes append-only and reclaims dead space slowly under heavy writing: a 1,000,000-row import left a 10.6 GB
     * file for 0.46 GB of data. When a run leaves a large file mostly dead (over 256 MiB, under half of it in use),
     * the file is rewritten whole (SHUTDOWN COMPACT: 16 s for that one) before the pool is closed, unless another
     * process is connected, whom the shutdown would cut off. {@code notice} hears of it first. Nothing to do on
     * PostgreSQL (its vacuum reuses dead space).
     */
    public void compactIfWasteful(Consumer<String> notice) {
        compactIfWasteful(WASTEFUL_FILE_BYTES, notice);
    }

    void compactIfWasteful(long largeFileBytes, Consumer<String> notice) {
        compactIfWasteful(largeFileBytes, file -> {
            try {
                return java.nio.file.Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
            } catch (java.io.IOException e) {
                return 0;
            }
        }, notice);
    }

    /** @param usableSpace the room free on the file's disk (a test gives a full one) */
    void compactIfWasteful(long largeFileBytes, java.util.function.ToLongFunction<java.nio.file.Path> usableSpace,
                           Consumer<String> notice) {
        if (!backend().engine().compactsItsFile() || dataSource.isClosed()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            long fileBytes = storeInfo(statement, "info.FILE_SIZE");
            long inUsePercent = storeInfo(statement, "info.CHUNKS_FILL_RATE");
            if (fileBytes < largeFileBytes || inUsePercent < 0 || inUsePercent >= WASTEFUL_IN_USE_PERCENT) {
                return;
            }
            try (ResultSet sessions = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                if (!sessions.next() || sessions.getInt(1) > dataSource.getHikariPoolMXBean().getTotalConnections()) {
                    return;
                }
            }
            // the rewrite needs room for the data in use beside the old file: without it, it would fail half-way
            // and leave a temporary file that locks every later run out
            long needed = fileBytes / 100 * inUsePercent + COMPACT_MARGIN_BYTES;
            java.nio.file.Path file = h2File();
            if (file != null && usableSpace.applyAsLong(file) < needed) {
                notice.accept(String.format("not compacting the embedded database (%.1f GB, %d%% in use): it needs "
                        + "%.1f GB free beside it", fileBytes / 1e9, inUsePercent, needed / 1e9));
                return;
            }
            notice.accept(String.format("compacting the embedded database (%.1f GB, %d%% of it in use after this run's "
                    + "writes) ...", fileBytes / 1e9, inUsePercent));
            try {
                statement.execute("SHUTDOWN COMPACT");
            } finally {
                removeCompactionLeftover(file);
            }
        } catch (SQLException e) {
            // housekeeping only: the run's work is committed or rolled back already, and the next run tries again
        }
    }

    /** The H2 file: the embedded database's, or the one a jdbc:h2:file: URL names. */
    private java.nio.file.Path h2File() {
        if (target().embeddedFile() != null) {
            return target().embeddedFile();
        }
        String url = target().jdbcUrl();
        String prefix = "jdbc:h2:file:";
        return url.startsWith(prefix) ? java.nio.file.Path.of(url.substring(prefix.length()).split(";")[0] + ".mv.db")
                : null;
    }

    /** The room a compaction needs beyond the data in use. */
    private static final long COMPACT_MARGIN_BYTES = 64L << 20;

    /** A compaction that failed (a full disk) leaves H2's FILE.tempFile, which would stop every later run: removed. */
    static void removeCompactionLeftover(java.nio.file.Path file) {
        if (file == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + ".tempFile"));
        } catch (java.io.IOException e) {
            // the next run's open reports it
        }
    }

    /** A number H2 reports about its store; -1 when it has none (an in-memory database) or not as a number. */
    private static long storeInfo(Statement statement, String name) throws SQLException {
        try (ResultSet info = statement.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            return info.next() ? Long.parseLong(info.getString(1).replace("%", "").strip()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
