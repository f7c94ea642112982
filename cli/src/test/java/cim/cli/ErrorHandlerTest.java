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
}
