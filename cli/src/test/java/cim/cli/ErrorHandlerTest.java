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
}
