package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege on PostgreSQL: each profile's role runs its commands, is refused the others' with exit 77, and
 * can rewrite nothing of the audit trail, whatever keyset it holds.
 */
class ProfilesTest {
    private static final List<String> PROFILES = List.of("reader", "importer", "steward", "auditor", "admin");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void eachProfileRunsItsCommandsAndIsRefusedTheOthersWithExit77(Backend backend) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> roles = new LinkedHashMap<>();
        PROFILES.forEach(p -> roles.put(p, "cim_" + p + "_" + suffix));
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner owner = CliRunner.withRecords(db, "agent",
                    "source_key,name,mobile\nA1,张三,13812345678\nA2,李四,13912345678\n");
            Map<String, CliRunner> as = new LinkedHashMap<>();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                for (Map.Entry<String, String> role : roles.entrySet()) {
                    st.execute("CREATE ROLE " + role.getValue() + " LOGIN");
                    as.put(role.getKey(), owner.with("CIM_DB_URL", db.url().replace("user=root",
                            "user=" + role.getValue())));
                }
            }
            // only the owner grants
            assertThat(as.get("admin").run("db", "grant", roles.get("reader"), "--profile", "steward").exit())
                    .isEqualTo(ExitCode.NOT_PERMITTED.code());
            for (Map.Entry<String, String> role : roles.entrySet()) {
                CliRunner.Result granted = owner.require("db", "grant", role.getValue(), "--profile", role.getKey(),
                        "-o", "json");
                assertThat(granted.out()).contains("\"profiles\":[\"" + role.getKey() + "\"]");
            }
            assertThat(owner.run("db", "grant", "cim_nobody_" + suffix, "--profile", "reader").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(owner.run("db", "grant", roles.get("reader"), "--profile", "superuser").exit()).isEqualTo(ExitCode.USAGE.code());

            // A4 has a name only: the default policy refuses it a code, and the importer's run queues it
            Path more = Files.writeString(db.directory().resolve("more.csv"), "source_key,name,mobile,relations\n"
                    + "A3,王五,13712345678,\"[{\"\"type\"\":\"\"spouse\"\",\"\"source_key\"\":\"\"A1\"\"}]\"\n"
                    + "A4,赵六,,\n");
            expect(as, Map.of("importer", 0), "import", more.toString(), "--source", "agent");
            expect(as, Map.of("importer", 0), "codes", "assign");
            assertThat(expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "codes", "pending",
                    "-o", "json").out()).contains("\"source_key\":\"A4\"");
            // the importer's run wrote A3's relation: every profile but the auditor sees it resolved
            String wang = owner.require("codes", "xref", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("agent,A3,")).findFirst().orElseThrow().split(",")[2];
            assertThat(expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "codes", "show", wang,
                    "-o", "json").out()).contains("\"relations\":[{\"type\":\"spouse\"");
            // the policy: an admin sets it, every profile but the auditor reads it
            Path policy = Files.writeString(db.directory().resolve("policy.yaml"), "merging: {link_threshold: 8}\n");
            expect(as, Map.of("admin", 0), "policy", "set", policy.toString(), "--reason", "stricter links");
            assertThat(expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "policy", "show",
                    "-o", "json").out()).contains("\"version\":1", "\"link_threshold\":8.0");
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "policy", "history");
            // channels: an admin registers and changes them, every profile but the auditor lists them
            expect(as, Map.of("admin", 0), "channels", "add", "web", "--name", "官网", "--owner", "电子商务部");
            expect(as, Map.of("admin", 0), "channels", "set", "web", "--owner", "新媒体中心", "--reason", "reorg");
            assertThat(expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "channels", "list")
                    .out()).contains("新媒体中心");
            List<String> codes = owner.require("codes", "xref", "-o", "csv").out().lines().skip(1)
                    .map(l -> l.split(",")[2]).distinct().sorted().toList();
            assertThat(codes).hasSize(3);
            String code = codes.get(0);

            // masked reads: every profile but the auditor
            CliRunner.Result shown = expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0),
                    "codes", "show", code);
            assertThat(shown.out()).contains("****").doesNotContain("13812345678");
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0),
                    "export", "--out", db.directory().resolve("masked.csv").toString());
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "quality", "check");
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0, "auditor", 0), "db", "status");

            // unmasking: stewards and admins only, whatever keyset the others hold
            CliRunner.Result clear = expect(as, Map.of("steward", 0, "admin", 0),
                    "codes", "show", code, "--mask", "none", "--reason", "complaint 42");
            assertThat(clear.out()).containsAnyOf("13812345678", "13912345678", "13712345678");
            CliRunner.Result refused = as.get("reader").run("codes", "show", code, "--mask", "none", "--reason", "x");
            assertThat(refused.err()).startsWith("ERROR: --mask none needs the steward or admin profile; role "
                    + roles.get("reader") + " has reader").doesNotContain("1381234");
            Path unmasked = db.directory().resolve("unmasked.csv");
            for (String profile : List.of("reader", "importer")) {
                assertThat(as.get(profile).run("export", "--out", unmasked.toString(), "--mask", "none",
                        "--reason", "x").exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
                assertThat(unmasked).doesNotExist();
            }
            assertThat(as.get("steward").run("export", "--out", unmasked.toString(), "--mask", "none",
                    "--reason", "audit request 7").exit()).isZero();
            assertThat(Files.readString(unmasked)).contains("13812345678");

            // stewarding
            expect(as, Map.of("steward", 0), "codes", "merge", codes.get(0), codes.get(1), "--reason", "same person");
            // tiers and keys
            expect(as, Map.of("admin", 0), "tiers", "set", "email", "--tier", "1", "--reason", "policy 2026");
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "tiers", "verify");
            // the trail
            expect(as, Map.of("auditor", 0, "admin", 0), "audit", "verify");
            Path anchor = db.directory().resolve("anchor.json");
            assertThat(as.get("steward").run("audit", "anchor", "--out", anchor.toString()).exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            as.get("auditor").require("audit", "anchor", "--out", anchor.toString());
            expect(as, Map.of("auditor", 0, "admin", 0), "audit", "verify", "--anchor", anchor.toString());
            expect(as, Map.of("reader", 0, "importer", 0, "steward", 0, "admin", 0), "codes", "review", "list");
            CliRunner.Result log = expect(as, Map.of("auditor", 0, "admin", 0), "audit", "log", "-o", "json");
            assertThat(as.get("reader").run("audit", "log").err()).startsWith("ERROR: audit log needs the auditor or "
                    + "admin profile; role " + roles.get("reader") + " has reader");
            for (String profile : List.of("importer", "steward", "admin")) {
                assertThat(log.out()).contains("\"db_user\":\"" + roles.get(profile) + "\"");
            }

            // none of them can rewrite the trail, move its head, switch off its triggers or edit the registry
            for (String profile : PROFILES) {
                try (Connection c = DriverManager.getConnection(db.url().replace("user=root",
                        "user=" + roles.get(profile))); Statement st = c.createStatement()) {
                    for (String attack : List.of("DELETE FROM audit_event WHERE seq > 1",
                            "UPDATE audit_head SET last_seq = 1",
                            "TRUNCATE audit_subject",
                            "ALTER TABLE audit_event DISABLE TRIGGER USER",
                            "DROP TRIGGER audit_event_append_only ON audit_event",
                            "UPDATE tier_registry SET tier = 3 WHERE field = 'mobile'",
                            "INSERT INTO audit_event (seq, occurred_at, actor, os_user, host, action, prev_hash, hash,"
                                    + " keyed, db_user) VALUES (2, now(), 'x', 'x', 'x', 'x', 'x', 'x', TRUE,"
                                    + " session_user)",
                            "SELECT cim_analyze('audit_event', ARRAY['seq'])")) {
                        if (profile.equals("admin") && attack.startsWith("UPDATE tier_registry")) {
                            continue; // an admin writes the registry, signed: the signature shows any other change
                        }
                        assertThatThrownBy(() -> st.execute(attack)).as(profile + ": " + attack)
                                .isInstanceOf(SQLException.class)
                                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                    }
                }
            }
            // events from a client that skips cim's own checks, each rolled back: a reveal from a reader or an
            // importer, an event of another profile's command, a forged address or time
            for (String profile : List.of("reader", "importer", "steward")) {
                try (Connection c = DriverManager.getConnection(db.url().replace("user=root",
                        "user=" + roles.get(profile))); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    String reveal = event("export", "'{\"mask\":\"none\"}'", "clock_timestamp()",
                            "host(inet_client_addr())");
                    if (profile.equals("steward")) {
                        assertThat(st.executeUpdate(reveal)).isEqualTo(1);
                        // customers added to its own event, which does not name them: refused
                        assertThatThrownBy(() -> st.execute("INSERT INTO audit_subject (customer_code, seq) SELECT "
                                + "'P000000001X', last_seq FROM cim_audit_head()")).isInstanceOf(SQLException.class)
                                .hasMessageContaining("audit subjects name customers of the event");
                    } else {
                        assertThatThrownBy(() -> st.execute(reveal)).as(profile).isInstanceOf(SQLException.class)
                                .hasMessageContaining("may not reveal protected values");
                    }
                    c.rollback();
                    for (String forged : List.of(
                            event("tiers.set", "NULL", "clock_timestamp()", "host(inet_client_addr())"),
                            event("db.migrate", "NULL", "clock_timestamp()", "host(inet_client_addr())"),
                            event("quality.check", "NULL", "clock_timestamp()", "'10.9.9.9'"),
                            event("quality.check", "NULL", "TIMESTAMPTZ '2020-01-01 00:00:00Z'",
                                    "host(inet_client_addr())"))) {
                        assertThatThrownBy(() -> st.execute(forged)).as(profile + ": " + forged)
                                .isInstanceOf(SQLException.class)
                                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                        c.rollback();
                    }
                    // the owner's trigger functions cannot be borrowed for a table of the role's own
                    st.execute("CREATE TEMP TABLE t (seq BIGINT, keyed BOOLEAN, db_user VARCHAR, prev_hash VARCHAR, "
                            + "hash VARCHAR, action VARCHAR, detail VARCHAR)");
                    assertThatThrownBy(() -> st.execute("CREATE TRIGGER hijack BEFORE INSERT ON pg_temp.t FOR EACH "
                            + "ROW EXECUTE FUNCTION public.cim_audit_identity()")).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                    c.rollback();
                    // links and history are ended, never deleted
                    assertThatThrownBy(() -> st.execute("DELETE FROM customer_link")).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                    c.rollback();
                }
            }
            assertThat(owner.require("audit", "verify").out()).contains("intact");

            // a profile given to a group role holds for its members
            String group = "cim_stewards_" + suffix;
            String member = "cim_member_" + suffix;
            roles.put("group", group);
            roles.put("member", member);
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + group + " NOLOGIN");
                st.execute("CREATE ROLE " + member + " LOGIN IN ROLE " + group);
            }
            owner.require("db", "grant", group, "--profile", "steward");
            CliRunner asMember = owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + member));
            asMember.require("codes", "show", code, "--mask", "none", "--reason", "complaint 43");

            // reads of the registry, the history and the keys: every profile with customer data; the auditor reads
            // the trail (and the registries verify needs), not the histories
            for (String profile : List.of("reader", "importer", "steward", "admin")) {
                for (String[] read : new String[][] {{"tiers", "list"}, {"tiers", "history"}, {"keys", "status"},
                        {"quality", "history"}}) {
                    CliRunner.Result result = as.get(profile).run(read);
                    assertThat(result.exit()).as(profile + " " + String.join(" ", read) + ": " + result).isZero();
                }
            }
            for (String[] read : new String[][] {{"tiers", "history"}, {"quality", "history"}}) {
                assertThat(as.get("auditor").run(read).exit()).as("auditor " + String.join(" ", read)).isEqualTo(ExitCode.NOT_PERMITTED.code());
            }

            // keys: the admin's
            for (String profile : List.of("reader", "importer", "steward", "auditor")) {
                assertThat(as.get(profile).run("keys", "rotate").exit()).as(profile).isEqualTo(ExitCode.NOT_PERMITTED.code());
            }
            as.get("admin").require("keys", "rotate");
            for (String profile : List.of("reader", "importer", "steward", "auditor")) {
                assertThat(as.get(profile).run("keys", "rotate", "--blind-index").exit()).as(profile).isEqualTo(ExitCode.NOT_PERMITTED.code());
            }
            // the match keys are rewritten: rights an admin role has (also one granted before schema 16)
            assertThat(as.get("admin").require("keys", "rotate", "--blind-index", "-o", "json").out())
                    .contains("\"match_keys\":");
            assertThat(owner.require("audit", "verify").out()).contains("intact");

            // db grant leaves what is not cim's alone: another application's sequence and its grants
            String auditor = roles.get("auditor");
            String reborn = "cim_reborn_" + suffix;
            roles.put("reborn", reborn);
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE SEQUENCE billing_seq");
                st.execute("GRANT USAGE, UPDATE ON SEQUENCE billing_seq TO " + auditor);
                st.execute("CREATE ROLE " + reborn + " LOGIN");
            }
            owner.require("db", "grant", auditor, "--profile", "auditor");
            owner.require("db", "grant", roles.get("reader"), "--profile", "reader");
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                var rs = st.executeQuery("SELECT has_sequence_privilege('" + auditor + "', 'billing_seq', 'UPDATE'), "
                        + "has_sequence_privilege('" + roles.get("reader") + "', 'billing_seq', 'USAGE')");
                rs.next();
                assertThat(rs.getBoolean(1)).as("the other application's grant kept").isTrue();
                assertThat(rs.getBoolean(2)).as("no right to the other application's sequence").isFalse();
            }
            // a role dropped and made again under its name holds none of the old one's profiles
            owner.require("db", "grant", reborn, "--profile", "steward");
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("DROP OWNED BY " + reborn);
                st.execute("DROP ROLE " + reborn);
                st.execute("CREATE ROLE " + reborn + " LOGIN");
                st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reborn);
            }
            CliRunner.Result notReborn = owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + reborn))
                    .run("codes", "show", code, "--mask", "none", "--reason", "x");
            assertThat(notReborn.exit()).as(notReborn.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(notReborn.err()).contains("role " + reborn + " has none");

            // none takes it all back
            owner.require("db", "grant", roles.get("reader"), "--profile", "none");
            assertThat(as.get("reader").run("codes", "show", code).exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            String reader = roles.get("reader");
            try (Connection check = DriverManager.getConnection(db.url()); Statement st = check.createStatement();
                 java.sql.ResultSet rights = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_namespace n, "
                         + "aclexplode(n.nspacl) a WHERE n.nspname = current_schema() AND a.grantee = (SELECT oid FROM "
                         + "pg_roles WHERE rolname = '" + reader + "')), EXISTS (SELECT 1 FROM pg_database d, "
                         + "aclexplode(d.datacl) a WHERE d.datname = current_database() AND a.grantee = (SELECT oid "
                         + "FROM pg_roles WHERE rolname = '" + reader + "'))")) {
                rights.next();
                assertThat(rights.getBoolean(1)).as("no grant of its own on cim's schema left").isFalse();
                assertThat(rights.getBoolean(2)).as("no CONNECT or TEMPORARY of its own left").isFalse();
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(System.getProperty("cim.test.pg",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root")); Statement st = admin.createStatement()) {
                for (String role : roles.values()) {
                    st.execute("DROP ROLE IF EXISTS " + role);
                }
            }
        }
    }

    /** An event appended by hand, after the head, as the role in session, with the given action, detail, time, address. */
    private static String event(String action, String detail, String time, String address) {
        return "INSERT INTO audit_event (seq, occurred_at, actor, os_user, host, action, detail, prev_hash, hash, "
                + "keyed, db_user, client_addr) SELECT h.last_seq + 1, " + time + ", 'x', 'x', 'x', '" + action + "', "
                + detail + ", h.last_hash, 'x', TRUE, session_user, " + address + " FROM cim_audit_head() h";
    }

    /** Runs the command as every profile: the ones named exit as given, every other with 77. */
    private static CliRunner.Result expect(Map<String, CliRunner> as, Map<String, Integer> allowed, String... args) {
        CliRunner.Result kept = null;
        List<String> wrong = new ArrayList<>();
        for (String profile : PROFILES) {
            CliRunner.Result result = as.get(profile).run(args);
            int wanted = allowed.getOrDefault(profile, 77);
            if (result.exit() != wanted) {
                wrong.add(profile + " wanted " + wanted + ": " + result);
            }
            if (allowed.containsKey(profile) && kept == null) {
                kept = result;
            }
        }
        assertThat(wrong).as(String.join(" ", args)).isEmpty();
        return kept;
    }
}
