package cim.cli;

import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorHandlerTest {
    /** jOOQ may only say which callback failed: the one-line report gives the database's own words. */
    @Test
    void aDatabaseErrorIsDescribedInTheDatabasesWords() {
        SQLException refused = new SQLException("ERROR: new row for relation \"customer_link\" violates check "
                + "constraint \"test_refused\"\n  Detail: Failing row contains (...)", "23514");
        DataAccessException wrapped = new DataAccessException("Error while running ConnectionCallable", refused);
        assertThat(ErrorHandler.describe(wrapped)).isEqualTo("database error 23514: ERROR: new row for relation "
                + "\"customer_link\" violates check constraint \"test_refused\"");
        assertThat(ErrorHandler.exitCode(wrapped)).isEqualTo(ExitCode.INTERNAL);
        assertThat(ErrorHandler.describe(new IllegalStateException("broken"))).contains("broken");
    }

    @Test
    void aDatabaseErrorWithoutASqlStateIsAnInternalError() {
        // a driver or the pool may raise one with no state (a closed data source): classified, not a crash
        assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("no state"))))
                .isEqualTo(ExitCode.INTERNAL);
    }

    /**
     * F3: the database going away mid-run (PostgreSQL restarted: 57P01; H2's broken connection or closed database;
     * the pool finding no connection) is exit 69, not an internal error; a deadlock or serialization failure with
     * another run is 75 (run again), as a held lock is.
     */
    @Test
    void aDatabaseThatWentAwayIs69AndAClashWithAnotherRunIs75() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "08006"}) {
            assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("gone", state))))
                    .as(state).isEqualTo(ExitCode.DATABASE_UNAVAILABLE);
        }
        for (int code : new int[] {90067, 90121, 90098}) {
            assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("closed", "HY000", code))))
                    .as("H2 " + code).isEqualTo(ExitCode.DATABASE_UNAVAILABLE);
        }
        assertThat(ErrorHandler.exitCode(new IllegalStateException("in a callback", new DataAccessException("x",
                new java.sql.SQLTransientConnectionException("Connection is not available, request timed out")))))
                .isEqualTo(ExitCode.DATABASE_UNAVAILABLE);
        for (String state : new String[] {"40P01", "40001", "55P03", "HYT00"}) {
            assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("clash", state))))
                    .as(state).isEqualTo(ExitCode.LOCKED);
        }
        assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("no", "42501"))))
                .isEqualTo(ExitCode.NOT_PERMITTED);
    }

    /**
     * A full disk is 73 with a plain message, wherever the I/O error hides: H2 reports a failed batch with the
     * MVStore's error as a next exception of its own, PostgreSQL says disk_full (53100).
     */
    @Test
    void aFullDiskIs73() {
        java.sql.BatchUpdateException batch = new java.sql.BatchUpdateException("General error", "HY000", 50000,
                new int[0]);
        batch.setNextException(new SQLException("General error", "HY000", 50000,
                new IllegalStateException("Writing failed", new java.io.IOException("No space left on device"))));
        assertThat(ErrorHandler.exitCode(new DataAccessException("x", batch))).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT);
        assertThat(ErrorHandler.exitCode(new DataAccessException("x", new SQLException("could not extend file",
                "53100")))).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT);
        assertThat(ErrorHandler.exitCode(new java.io.UncheckedIOException(new java.io.IOException("Disk quota "
                + "exceeded")))).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT);
        // a zh_CN locale: the JVM gives the system's own words for ENOSPC
        assertThat(ErrorHandler.exitCode(new java.io.UncheckedIOException(new java.io.IOException("设备上没有空间"))))
                .isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT);
        assertThat(ErrorHandler.exitCode(new java.io.UncheckedIOException(new java.io.IOException("Input/output "
                + "error")))).isEqualTo(ExitCode.INTERNAL);
    }
}
