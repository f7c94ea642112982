package cim.core.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run killed (kill -9) after it committed rows can leave the embedded file's identity counters behind those rows:
 * KillMatrixTest once saw the next codes assign refused (exit 70) as it handed out a customer row_id a committed
 * customer had. The next open of the file catches every identity column up with its rows.
 */
class EmbeddedIdentityTest {
    @Test
    void identityCountersBehindTheirRowsAreCaughtUpWhenTheFileIsNextOpened(@TempDir Path home) {
        DatabaseTarget target = DatabaseTarget.parse(null, home);
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            new Migrations(db).migrate();
            db.dsl().execute("INSERT INTO customer (code, customer_type) VALUES ('P1', 'PERSON'), ('P2', 'PERSON')");
            // what the killed run left: the counter recovered from before the rows it committed
            db.dsl().execute("ALTER TABLE customer ALTER COLUMN row_id RESTART WITH 1");
        }
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            db.dsl().execute("INSERT INTO customer (code, customer_type) VALUES ('P3', 'PERSON')");
            assertThat(db.dsl().fetchValue("SELECT row_id FROM customer WHERE code = 'P3'", Long.class))
                    .isEqualTo(3L);
        }
    }

    @Test
    void countersAheadOfTheirRowsAndEmptyTablesAreLeftAsTheyAre(@TempDir Path home) {
        DatabaseTarget target = DatabaseTarget.parse(null, home);
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            new Migrations(db).migrate();
            db.dsl().execute("INSERT INTO customer (code, customer_type) VALUES ('P1', 'PERSON')");
            db.dsl().execute("ALTER TABLE customer ALTER COLUMN row_id RESTART WITH 40");
        }
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            db.dsl().execute("INSERT INTO customer (code, customer_type) VALUES ('P2', 'PERSON')");
            assertThat(db.dsl().fetchValue("SELECT row_id FROM customer WHERE code = 'P2'", Long.class))
                    .isEqualTo(40L);
            assertThat(db.dsl().fetchValue("SELECT COUNT(*) FROM quarantine", Long.class)).isEqualTo(0L);
        }
    }
}
