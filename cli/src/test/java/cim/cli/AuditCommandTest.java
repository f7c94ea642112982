package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** audit anchor and verify through the front door, attacked as a database owner would. */
class AuditCommandTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anAnchorShowsTheNewestEventsDeletedAndTheHeadSetBack(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile\nA1,张三,13812345678\n");
            String head;
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq, hash FROM audit_event ORDER BY seq DESC")) {
                rs.next();
                rs.next(); // the event before the import's
                head = rs.getLong(1) + "," + rs.getString(2);
            }
            Path anchor = db.directory().resolve("anchor.json");
            CliRunner.Result written = cim.run("audit", "anchor", "--out", anchor.toString(), "-o", "json");
            assertThat(written.exit()).as(written.toString()).isZero();
            assertThat(written.out()).contains("\"head\":{\"seq\":5,");
            assertThat(Files.readString(anchor)).startsWith("{\"format\":\"cim-audit-anchor-1\",").contains("\"seq\":5,");
            CliRunner.Result ok = cim.run("audit", "verify", "--anchor", anchor.toString(), "-o", "json");
            assertThat(ok.exit()).as(ok.toString()).isZero();
            assertThat(ok.out()).contains("\"head\":{\"seq\":5,");

            String[] before = head.split(",");
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                if (backend == Backend.POSTGRESQL) {
                    st.execute("SET session_replication_role = replica");
                } else {
                    st.execute("DROP TRIGGER audit_event_append_only");
                    st.execute("DROP TRIGGER audit_subject_append_only");
                }
                st.execute("DELETE FROM audit_subject WHERE seq > " + before[0]);
                st.execute("DELETE FROM audit_event WHERE seq > " + before[0]);
                st.execute("UPDATE audit_head SET last_seq = " + before[0] + ", last_hash = '" + before[1] + "'");
                c.commit();
            }
            assertThat(cim.run("audit", "verify").exit()).as("the shorter chain fits").isZero();
            CliRunner.Result cut = cim.run("audit", "verify", "--anchor", anchor.toString());
            assertThat(cut.exit()).as(cut.toString()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(cut.err()).contains("before the anchored head 5");
            Path next = db.directory().resolve("next.json");
            CliRunner.Result certify = cim.run("audit", "anchor", "--out", next.toString(), "--previous",
                    anchor.toString());
            assertThat(certify.exit()).as("no anchor for a chain cut short: " + certify).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(certify.err()).contains("no anchor written");
            assertThat(Files.exists(next)).isFalse();

            Files.writeString(anchor, Files.readString(anchor).replace("\"seq\":5", "\"seq\":4"));
            CliRunner.Result edited = cim.run("audit", "verify", "--anchor", anchor.toString());
            assertThat(edited.exit()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(edited.err()).contains("was changed, or was not written with this keyset");
            Files.writeString(anchor, "not an anchor\n");
            assertThat(cim.run("audit", "verify", "--anchor", anchor.toString()).exit()).isEqualTo(ExitCode.INPUT.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKeysetThatDidNotWriteTheTrailNeverReportsItIntact(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name\nA1,张三\n");
            Path other = db.directory().resolve("other.json");
            cim.require("keys", "init", "--out", other.toString());
            CliRunner.Result refused = cim.run("audit", "verify", "--keyset", other.toString());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());

            // the owner makes the database forget its keys, so that another keyset binds: the links still tell
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM key_registry");
            }
            CliRunner.Result foreign = cim.run("audit", "verify", "--keyset", other.toString());
            assertThat(foreign.exit()).as(foreign.toString()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(foreign.err()).contains("event 1 was changed after it was written, or this keyset is not "
                    + "the one that wrote the trail");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eventsNameTheDatabaseRoleWhateverActorIsClaimed(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile\nA1,张三,13812345678\n");
            cim.require("codes", "assign", "--actor", "somebody-else");
            CliRunner.Result log = cim.run("audit", "log", "--action", "codes.assign", "-o", "json");
            assertThat(log.out()).contains("\"actor\":\"somebody-else\"").contains("\"keyed\":true");
            if (backend == Backend.POSTGRESQL) {
                assertThat(log.out()).contains("\"db_user\":\"root\",\"client_addr\":\"127.0.0.1\"");
            }
        }
    }
}
