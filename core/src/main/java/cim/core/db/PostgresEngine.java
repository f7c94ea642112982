package cim.core.db;

import cim.core.Failure;
import com.zaxxer.hikari.HikariConfig;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The central PostgreSQL database: job locks are session advisory locks, an import's channels and the tier registry
 * transaction advisory locks; rows land by binary COPY, an import stages into a temporary table of its own; planner
 * statistics are kept current through the owner's functions (a runtime role owns no table); roles have profiles.
 */
final class PostgresEngine implements Engine {
    private static final String SERVER_START = "SELECT pg_postmaster_start_time()::text";
    /** PostgreSQL shutting down or restarting: admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");

    @Override
    public void configure(HikariConfig config, int connectTimeoutSeconds) {
        config.addDataSourceProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        config.addDataSourceProperty("loginTimeout", String.valueOf(connectTimeoutSeconds));
        config.addDataSourceProperty("ApplicationName", "cim");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }

    @Override
    public boolean inUseByAnotherProcess(String sqlState, String detail) {
        return false;
    }

    @Override
    public boolean compactsItsFile() {
        return false;
    }

    @Override
    public boolean hasRoles() {
        return true;
    }

    @Override
    public boolean mayRead(DSLContext dsl, Table<?> table) {
        return Boolean.TRUE.equals(dsl.resultQuery("SELECT has_table_privilege(?, 'SELECT')", table.getName())
                .fetchSingle(0, Boolean.class));
    }

    @Override
    public boolean takeJobLock(Connection connection, String name, long key, boolean wait) throws SQLException {
        try (Statement keepAlive = connection.createStatement()) {
            // the lock lives as long as this session: a server timeout for idle sessions must not end it mid-job
            keepAlive.execute("SET idle_session_timeout = 0");
        }
        try (PreparedStatement lock = connection.prepareStatement(wait ? "SELECT pg_advisory_lock(?) IS NULL"
                : "SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return wait || result.getBoolean(1);
            }
        }
    }

    @Override
    public boolean holdsJobLock(Connection connection) throws SQLException {
        try (Statement alive = connection.createStatement();
             ResultSet row = alive.executeQuery(
                     "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted")) {
            return row.next();
        }
    }

    @Override
    public void releaseJobLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.executeQuery().close();
        }
    }

    @Override
    public String serverStart(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet row = query.executeQuery(SERVER_START)) {
            row.next();
            return row.getString(1);
        }
    }

    @Override
    public String serverStart(DSLContext tx) {
        return String.valueOf(tx.fetchValue(SERVER_START));
    }

    @Override
    public void lockChannelForImport(DSLContext tx, String channel) {
        tx.execute("SELECT pg_advisory_xact_lock(?)", (long) ("import/" + channel).hashCode());
    }

    @Override
    public void lockRegistryShared(DSLContext tx, long key) {
        tx.execute("SELECT pg_advisory_xact_lock_shared(?)", key);
    }

    @Override
    public boolean lockRegistryAlone(DSLContext tx, long key, Duration wait) {
        // not forever: imports that wait behind this change wait as long
        tx.execute("SET LOCAL lock_timeout = '" + wait.toMillis() + "ms'");
        try {
            tx.execute("SELECT pg_advisory_xact_lock(?)", key);
            return true;
        } catch (org.jooq.exception.DataAccessException e) {
            if (!"55P03".equals(e.sqlState())) {
                throw e;
            }
            return false;
        }
    }

    @Override
    public boolean copiesRows() {
        return true;
    }

    @Override
    public void insert(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Collection<Object[]> rows) {
        // rows are encoded on every core; the one connection only streams the bytes
        CopyBinary encoder = CopyBinary.of(fields);
        copy(tx, table.getName(), fields.stream().map(Field::getName).toList(),
                rows.parallelStream().map(encoder::row).toList());
    }

    @Override
    public void copy(DSLContext tx, String table, List<String> columns, List<byte[]> tuples) {
        BulkInsert.copy(tx, table, columns, tuples);
    }

    @Override
    public void createStaging(DSLContext tx) {
        // a temporary table of the same name shadows the shared one in this session: no WAL, no index, no
        // cleanup, gone at commit or rollback
        tx.execute("CREATE TEMPORARY TABLE import_staging (LIKE public.import_staging) ON COMMIT DROP");
    }

    @Override
    public boolean sharesStaging() {
        return false;
    }

    @Override
    public void updateFromValues(DSLContext tx, Table<?> table, Field<Long> id, Field<String> column,
                                 Table<?> values) {
        tx.update(table).set(column, values.field("val", String.class)).from(values)
                .where(id.eq(values.field("id", Long.class)))
                .execute();
    }

    @Override
    public void analyse(DSLContext tx, String table) {
        tx.execute("ANALYZE " + table);
    }

    @Override
    public void refreshStatistics(DSLContext dsl, Map<String, List<String>> columnsByTable) {
        // reltuples: the rows at the last analysis (or vacuum); updates (golden records rewritten) do not count
        List<String> stale = dsl.resultQuery("SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = "
                        + "s.relid WHERE s.relname = ANY (?) AND ((s.last_analyze IS NULL AND s.last_autoanalyze IS NULL "
                        + "AND s.n_live_tup > 0) OR s.n_live_tup > 2 * GREATEST(c.reltuples, 1000))",
                        (Object) columnsByTable.keySet().toArray(String[]::new))
                .fetch(0, String.class);
        for (String table : stale) {
            // through the owner's function (schema 15.1): ANALYZE needs ownership, which the runtime role lacks
            dsl.execute("SELECT cim_analyze(CAST(? AS TEXT), CAST(? AS TEXT[]))", table,
                    columnsByTable.get(table).toArray(String[]::new));
        }
    }

    @Override
    public void matchKeyIndex(DSLContext dsl, boolean present) {
        // the owner's function (schema 15.1): the role codes assign runs as does not own the table
        dsl.execute("SELECT cim_match_key_index(" + (present ? "TRUE" : "FALSE") + ")");
    }

    @Override
    public Optional<Failure> failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            // lock_not_available (a lock timeout), deadlock_detected, serialization_failure: another run
            case "55P03", "40P01", "40001" -> Optional.of(Failure.LOCKED);
            // insufficient_privilege: the role may not do what the command needs
            case "42501" -> Optional.of(Failure.NOT_PERMITTED);
            // disk_full
            case "53100" -> Optional.of(Failure.OUTPUT);
            default -> Optional.empty();
        };
    }

    @Override
    public boolean connectionLost(SQLException e) {
        return e.getSQLState() != null && SERVER_GONE.contains(e.getSQLState());
    }
}
