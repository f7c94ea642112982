package cim.core.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run that leaves the embedded file mostly dead has it rewritten on the way out, unless others are connected. */
class EmbeddedCompactionTest {
    private static final long LARGE = 1L << 20;

    @Test
    void aMostlyDeadFileIsRewrittenAndItsDataKept(@TempDir Path dir) throws Exception {
        DatabaseTarget target = DatabaseTarget.parse("jdbc:h2:file:" + dir.resolve("cim"), dir);
        Path file = dir.resolve("cim.mv.db");
        List<String> notices = new ArrayList<>();
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            churn(db);
            long before = Files.size(file);
            assertThat(Integer.parseInt(String.valueOf(db.dsl().fetchValue("SELECT SETTING_VALUE FROM "
                    + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'"))))
                    .as("the churn must leave the file mostly dead to test with").isLessThan(50);
            db.compactIfWasteful(LARGE, notices::add);
            assertThat(notices).singleElement().asString().startsWith("compacting the embedded database");
            assertThat(Files.size(file)).isLessThan(before / 2);
        }
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            assertThat(db.dsl().fetchValue("SELECT COUNT(*) FROM kept")).isEqualTo(1_000L);
            db.compactIfWasteful(LARGE, notices::add);
            assertThat(notices).as("a compact file is left alone").hasSize(1);
        }
    }

    /**
     * F7: on a nearly full disk the rewrite would fail half-way and leave a temporary file that locks every later run
     * out: it is not tried (a notice says why), and a leftover of one that failed is removed.
     */
    @Test
    void aFileIsNotRewrittenWithoutRoomForItAndALeftoverGoes(@TempDir Path dir) throws Exception {
        DatabaseTarget target = DatabaseTarget.parse("jdbc:h2:file:" + dir.resolve("cim"), dir);
        Path file = dir.resolve("cim.mv.db");
        List<String> notices = new ArrayList<>();
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            churn(db);
            long before = Files.size(file);
            db.compactIfWasteful(LARGE, f -> 1024, notices::add);
            assertThat(notices).singleElement().asString().startsWith("not compacting the embedded database");
            assertThat(Files.size(file)).isGreaterThanOrEqualTo(before);
        }
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            assertThat(db.dsl().fetchValue("SELECT COUNT(*) FROM kept")).isEqualTo(1_000L);
        }
        Path leftover = Files.writeString(dir.resolve("cim.mv.db.tempFile"), "half a rewrite");
        Database.removeCompactionLeftover(file);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void aFileOthersHaveOpenIsLeftAsItIs(@TempDir Path dir) throws Exception {
        DatabaseTarget target = DatabaseTarget.parse("jdbc:h2:file:" + dir.resolve("cim"), dir);
        List<String> notices = new ArrayList<>();
        try (Database db = Database.open(target, new Credentials(null, null), null)) {
            churn(db);
            try (Connection other = DriverManager.getConnection(target.jdbcUrl())) {
                db.compactIfWasteful(LARGE, notices::add);
                assertThat(notices).isEmpty();
                assertThat(other.isValid(1)).isTrue();
            }
        }
    }

    /**
     * One long transaction of inserts spread over an index, as a big import or assign writes: H2 saves the pages it
     * touches over and over while the transaction runs, leaving most of the file dead.
     */
    private static void churn(Database db) {
        db.dsl().execute("CREATE TABLE kept (id INT PRIMARY KEY, v VARCHAR(200))");
        db.dsl().execute("CREATE INDEX kept_v ON kept (v)");
        db.dsl().transaction(tx -> {
            for (int batch = 0; batch < 50; batch++) {
                tx.dsl().execute("INSERT INTO kept SELECT \"X\", RANDOM_UUID() || REPEAT('k', 150) "
                        + "FROM SYSTEM_RANGE(" + (batch * 1_000 + 1) + ", " + (batch + 1) * 1_000 + ")");
            }
            tx.dsl().execute("DELETE FROM kept WHERE id > 1000");
        });
    }
}
