package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A named lock held for a whole job that spans many transactions (a cron overlap must not run two at once):
 * a session advisory lock on PostgreSQL, held by one connection of the pool for the job's life (the server drops
 * it if the process dies); on H2, the job's row of run_lock locked by an open transaction on one connection.
 * Without waiting, a held lock is exit 75 at once; waiting queues behind the holder.
 */
public final class JobLock implements AutoCloseable {
    private final Connection connection;
    private final Engine engine;
    private final long key;
    /** PostgreSQL: when the server started, as the lock's session saw it (a restart ends the session and the lock). */
    private final String serverStart;

    private JobLock(Connection connection, Engine engine, long key, String serverStart) {
        this.connection = connection;
        this.engine = engine;
        this.key = key;
        this.serverStart = serverStart;
    }

    /**
     * Takes the lock named {@code name} (a row of run_lock).
     *
     * @param what the job in the words of the message ("codes assign")
     * @param wait queue behind another holder instead of failing at once
     */
    public static JobLock acquire(Database db, String name, String what, boolean wait) {
        return acquire(db, name, what, "'" + what + "'", wait);
    }

    /**
     * As {@link #acquire(Database, String, String, boolean)}, for a lock other jobs take too: {@code holders} names
     * them all in the message when it is held ("'cim codes assign', a merge or a tier change").
     */
    public static JobLock acquire(Database db, String name, String what, String holders, boolean wait) {
        long key = 0x63696d0000000000L | (name.hashCode() & 0xffffffffL);
        Connection connection = null;
        try {
            connection = db.dataSource().getConnection();
            Engine engine = db.backend().engine();
            if (!engine.takeJobLock(connection, name, key, wait)) {
                connection.close();
                throw new CimException(Failure.LOCKED, "another " + holders + " is running on this database",
                        "wait for it to finish and run again, or add --wait to queue behind it");
            }
            return new JobLock(connection, engine, key, engine.serverStart(connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new CimException(Failure.DATABASE_UNAVAILABLE, "cannot take the " + what + " lock: "
                    + e.getMessage(), "check that the database is reachable", e);
        }
    }

    /**
     * Checks the lock is still held, in the transaction that is about to commit a part of the job: a lock session
     * that ended (terminated, or cut off) let go of the lock, and another run may have taken it. Exit 75, nothing of
     * the part kept. When the server restarted (or went away, so that this transaction's session ended too), that is
     * what the run reports: the database unavailable (exit 69), not another run's turn.
     */
    public void verify(org.jooq.DSLContext tx, String what) {
        boolean held;
        try {
            held = engine.holdsJobLock(connection);
        } catch (SQLException e) {
            held = false;
        }
        if (!held) {
            // throws the connection failure if the server ended this session as well
            String start = serverStart == null ? null : engine.serverStart(tx);
            if (start != null && !start.equals(serverStart)) {
                throw new CimException(Failure.DATABASE_UNAVAILABLE, "the database server restarted during the run, "
                        + "which ended the '" + what + "' lock; this part of the job was not kept",
                        "run it again when the server is up: it goes on from where it stopped");
            }
            throw new CimException(Failure.LOCKED, "the '" + what + "' lock was lost (its database session ended); "
                    + "this part of the job was not kept", "run it again: it goes on from where it stopped");
        }
    }

    @Override
    public void close() {
        try {
            engine.releaseJobLock(connection, key);
        } catch (SQLException e) {
            // the lock goes with the session; closing the connection below ends it either way
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
