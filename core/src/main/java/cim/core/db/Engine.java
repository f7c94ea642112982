package cim.core.db;

import cim.core.Failure;
import com.zaxxer.hikari.HikariConfig;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between the databases cim runs on, in one place: locks, bulk load and staging, planner statistics,
 * error classification, and the facts of roles and status. One implementation per {@link Backend}
 * ({@link H2Engine}, {@link PostgresEngine}), chosen once by the backend; adding a backend is one implementation of
 * this and its migrations. SQL that is the same on every backend stays with its domain code.
 */
public interface Engine {
    /** The engine of the database a context talks to. */
    static Engine of(DSLContext dsl) {
        return Backend.of(dsl.dialect()).engine();
    }

    // connections

    /** Driver settings of the connection pool (timeouts, the application's name). */
    void configure(HikariConfig config, int connectTimeoutSeconds);

    /** Whether a failure to connect says that another process has the database open (exit 75, not 69). */
    boolean inUseByAnotherProcess(String sqlState, String detail);

    /** Whether the database is an embedded file that cim compacts when much of it is free. */
    boolean compactsItsFile();

    // roles

    /**
     * Whether the database has roles with profiles (cim db grant) and the owner's functions and triggers that go with
     * them: a command then checks its role's profile, reads what its role may not read directly (the trail, the
     * registry's events) through those functions, and the trail's head is moved by the event insert's trigger.
     */
    boolean hasRoles();

    /** Whether the session's role may read the table (a role given a profile reads only what it covers). */
    boolean mayRead(DSLContext dsl, Table<?> table);

    // locks

    /** Takes the job lock {@code name} (or {@code key}) on a connection of its own; false when held elsewhere. */
    boolean takeJobLock(Connection connection, String name, long key, boolean wait) throws SQLException;

    /** Whether the job lock's connection still holds it. */
    boolean holdsJobLock(Connection connection) throws SQLException;

    void releaseJobLock(Connection connection, long key) throws SQLException;

    /** When the server last started (a restart ends every lock), or null where that is not known. */
    String serverStart(Connection connection) throws SQLException;

    /** The same, asked in a transaction. */
    String serverStart(DSLContext tx);

    /** Takes one channel's import lock for the caller's transaction. */
    void lockChannelForImport(DSLContext tx, String channel);

    /** Holds the tier registry shared for the caller's transaction (writers of values). */
    void lockRegistryShared(DSLContext tx, long key);

    /** Holds the tier registry alone for the caller's transaction; false when the writers still hold it after wait. */
    boolean lockRegistryAlone(DSLContext tx, long key, Duration wait);

    // bulk load and staging

    /** Whether rows are landed by COPY, encoded ahead on other threads ({@link CopyBinary}). */
    boolean copiesRows();

    /** Inserts rows, each an array of values in the order of {@code fields}. */
    void insert(DSLContext tx, Table<?> table, List<? extends Field<?>> fields, Collection<Object[]> rows);

    /** Lands rows encoded by {@link CopyBinary} (only where {@link #copiesRows}). */
    void copy(DSLContext tx, String table, List<String> columns, List<byte[]> tuples);

    /** Prepares the import's staging table for the caller's transaction. */
    void createStaging(DSLContext tx);

    /** Whether the staging table is shared (its rows deleted after the merge) rather than the transaction's own. */
    boolean sharesStaging();

    /** Sets {@code column} from {@code values} (columns id and val) on the rows of {@code table} whose id matches. */
    void updateFromValues(DSLContext tx, Table<?> table, Field<Long> id, Field<String> column, Table<?> values);

    // statistics

    /** Gives the planner a table's statistics now (a staging table about to be joined). */
    void analyse(DSLContext tx, String table);

    /** Brings the planner statistics of stale tables up to date, each over the columns given for it. */
    void refreshStatistics(DSLContext dsl, Map<String, List<String>> columnsByTable);

    /** Builds the blocking keys' index ({@code present}) or drops it for a run that holds its keys in memory. */
    void matchKeyIndex(DSLContext dsl, boolean present);

    // errors

    /** What a database error means for the run, when this database's error says more than "internal". */
    Optional<Failure> failure(SQLException e);

    /** Whether the error says the connection went away (the server stopped, the file closed). */
    boolean connectionLost(SQLException e);
}
