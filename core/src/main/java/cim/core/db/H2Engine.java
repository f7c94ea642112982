package cim.core.db;

import cim.core.Failure;
import com.zaxxer.hikari.HikariConfig;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static cim.core.db.schema.Tables.RUN_LOCK;
import static cim.core.db.schema.Tables.TIER_REGISTRY;

/**
 * The embedded database (and a jdbc:h2: URL): one local user who may do everything, one run at a time on the file,
 * so locks are rows of run_lock held by a transaction, rows land by batches of one prepared insert, and there are no
 * planner statistics to keep.
 */
final class H2Engine implements Engine {
    /** H2's lock timeout when a job lock waits: it tries again until it gets the lock. */
    private static final int WAIT_MILLIS = 10_000;
    /** H2's errors of a connection that went away: broken connection, database closed, or being closed. */
    private static final Set<Integer> CONNECTION_LOST = Set.of(90067, 90121, 90098);

    @Override
    public void configure(HikariConfig config, int connectTimeoutSeconds) {
        // the URL carries H2's settings
    }

    @Override
    public boolean inUseByAnotherProcess(String sqlState, String detail) {
        // H2's lock file (a jdbc:h2: URL) or the operating system's lock (the embedded default)
        return detail.contains("Locked by another process") || sqlState.equals("90020");
    }

    @Override
    public boolean compactsItsFile() {
        return true;
    }

    @Override
    public boolean hasRoles() {
        return false;
    }

    @Override
    public boolean mayRead(DSLContext dsl, Table<?> table) {
        return true;
    }

    @Override
    public boolean takeJobLock(Connection connection, String name, long key, boolean wait) throws SQLException {
        connection.setAutoCommit(false);
        while (true) {
            try (Statement timeout = connection.createStatement()) {
                timeout.execute("SET LOCK_TIMEOUT " + (wait ? WAIT_MILLIS : 1));
            }
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT name FROM run_lock WHERE name = ? FOR UPDATE")) {
                lock.setString(1, name);
                lock.executeQuery().close();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                // 50200: lock timeout; a deadlock report (40001) means the same here
                if (e.getErrorCode() != 50200 && !"40001".equals(e.getSQLState()) && !"HYT00".equals(e.getSQLState())) {
                    throw e;
                }
                if (!wait) {
                    release(connection);
                    return false;
                }
            }
        }
    }

    @Override
    public boolean holdsJobLock(Connection connection) throws SQLException {
        // the row lock lasts as long as the connection's transaction: a connection that answers holds it
        try (Statement alive = connection.createStatement()) {
            return alive.executeQuery("SELECT 1").next();
        }
    }

    @Override
    public void releaseJobLock(Connection connection, long key) throws SQLException {
        connection.rollback();
        release(connection);
    }

    /** Gives a pooled connection back as the pool handed it out: the URL's lock timeout, autocommit on. */
    private static void release(Connection connection) throws SQLException {
        try (Statement timeout = connection.createStatement()) {
            timeout.execute("SET LOCK_TIMEOUT " + WAIT_MILLIS);
        }
        connection.setAutoCommit(true);
    }

    @Override
    public String serverStart(Connection connection) {
        return null;
    }

    @Override
    public String serverStart(DSLContext tx) {
        return null;
    }

    @Override
    public void lockChannelForImport(DSLContext tx, String channel) {
        // one run writes at a time: one lock covers every channel
        tx.select(RUN_LOCK.NAME).from(RUN_LOCK).where(RUN_LOCK.NAME.eq("import")).forUpdate().fetch();
    }

    @Override
    public void lockRegistryShared(DSLContext tx, long key) {
        tx.select(TIER_REGISTRY.FIELD).from(TIER_REGISTRY).forUpdate().fetch();
    }

    @Override
    public boolean lockRegistryAlone(DSLContext tx, long key, Duration wait) {
        // one run writes at a time on the embedded file: no import can be under way
        return true;
    }

    @Override
    public boolean copiesRows() {
        return false;
    }

    @Override
    public void insert(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Collection<Object[]> rows) {
        BulkInsert.batch(tx, table, fields, rows);
    }

    @Override
    public void copy(DSLContext tx, String table, List<String> columns, List<byte[]> tuples) {
        throw new UnsupportedOperationException("H2 has no COPY: rows are inserted");
    }

    @Override
    public void createStaging(DSLContext tx) {
        // the shared import_staging table: one run writes at a time
    }

    @Override
    public boolean sharesStaging() {
        return true;
    }

    @Override
    public void updateFromValues(DSLContext tx, Table<?> table, Field<Long> id, Field<String> column,
                                 Table<?> values) {
        tx.mergeInto(table).using(values).on(id.eq(values.field("id", Long.class)))
                .whenMatchedThenUpdate().set(column, values.field("val", String.class))
                .execute();
    }

    @Override
    public void analyse(DSLContext tx, String table) {
        // H2 plans without statistics of its own to keep
    }

    @Override
    public void refreshStatistics(DSLContext dsl, Map<String, List<String>> columnsByTable) {
        // as above
    }

    @Override
    public void matchKeyIndex(DSLContext dsl, boolean present) {
        dsl.execute(present ? "CREATE INDEX IF NOT EXISTS match_key_key ON match_key (match_key)"
                : "DROP INDEX IF EXISTS match_key_key");
    }

    @Override
    public Optional<Failure> failure(SQLException e) {
        // HYT00: a lock timeout, another run holds the rows; 40001: a deadlock with another run
        return "HYT00".equals(e.getSQLState()) || "40001".equals(e.getSQLState()) ? Optional.of(Failure.LOCKED)
                : Optional.empty();
    }

    @Override
    public boolean connectionLost(SQLException e) {
        return CONNECTION_LOST.contains(e.getErrorCode());
    }
}
