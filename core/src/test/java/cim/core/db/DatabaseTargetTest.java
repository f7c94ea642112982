package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTargetTest {
    @Test
    void embeddedIsAnH2FileInTheHome() {
        DatabaseTarget target = DatabaseTarget.parse("embedded", Path.of("/data/cim"));
        assertThat(target.backend()).isEqualTo(Backend.H2);
        assertThat(target.embedded()).isTrue();
        assertThat(target.embeddedFile()).isEqualTo(Path.of("/data/cim/cim.mv.db"));
        assertThat(target.jdbcUrl()).startsWith("jdbc:h2:file:/data/cim/cim;MODE=PostgreSQL");
    }

    @Test
    void passwordsInUrlsAreMasked() {
        assertThat(DatabaseTarget.mask("jdbc:postgresql://db:5432/cim?user=a&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/cim?user=a&password=***&ssl=true");
        assertThat(DatabaseTarget.mask("jdbc:postgresql://a:s3cret@db/cim")).isEqualTo("jdbc:postgresql://a:***@db/cim");
        assertThat(DatabaseTarget.parse("jdbc:postgresql://db/cim?password=x", Path.of(".")).displayUrl())
                .doesNotContain("=x");
    }

    @Test
    void hostAndPortDefaultTo5432() {
        assertThat(DatabaseTarget.parse("jdbc:postgresql://db.example/cim", Path.of(".")).hostAndPort())
                .isEqualTo("db.example:5432");
        assertThat(DatabaseTarget.parse("jdbc:postgresql://10.1.2.3:6543/cim", Path.of(".")).hostAndPort())
                .isEqualTo("10.1.2.3:6543");
    }

    @Test
    void anotherDatabaseIsAConfigurationError() {
        assertThatThrownBy(() -> DatabaseTarget.parse("jdbc:mysql://db/cim?password=x", Path.of(".")))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION);
                    assertThat(e.getMessage()).contains("--db").doesNotContain("password=x");
                    assertThat(e.hint()).contains("jdbc:postgresql://");
                });
    }

    /**
     * An H2 file another process has open (the embedded database during a cim run, opened by --db jdbc:h2:FILE or
     * a tool) is 75, try again later, not 69 "cannot reach the database".
     */
    @Test
    void anH2FileInUseByAnotherProcessIs75() {
        DatabaseTarget target = DatabaseTarget.parse("jdbc:h2:file:/data/cim/cim", Path.of("."));
        CimException inUse = Database.unavailable(target, new java.sql.SQLException("Database may be already in use: "
                + "\"/data/cim/cim.mv.db\"", "90020", 90020));
        assertThat(inUse.failure()).isEqualTo(Failure.LOCKED);
        assertThat(inUse.getMessage()).isEqualTo("the H2 database jdbc:h2:file:/data/cim/cim is locked by another "
                + "process");
    }
}
