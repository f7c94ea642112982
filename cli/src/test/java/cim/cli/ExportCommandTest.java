package cim.cli;

import cim.core.codes.CustomerCode;
import cim.core.db.Backend;
import cim.core.json.Json;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** cim export through the front door, on both backends. */
class ExportCommandTest {
    private static final Path SAMPLES = Path.of("../samples");

    private static CliRunner loaded(TestDatabase db) throws Exception {
        CliRunner cim = ImportCommandTest.migratedWithKeyset(db);
        assertThat(cim.run("import", SAMPLES.resolve("agent.csv").toString(), "--source", "agent").exit()).isZero();
        Path formula = Files.writeString(db.directory().resolve("formula.csv"),
                "source_key,name,mobile\nF1,=HYPERLINK(\"http://x\"),13812340000\n");
        assertThat(cim.run("import", formula.toString(), "--source", "web").exit()).isZero();
        return cim;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void exportsAreMaskedByTierAndAudited(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            Path out = db.directory().resolve("out.csv");
            CliRunner.Result masked = cim.run("export", "--scope", "source", "--out", out.toString(), "-o", "json");
            assertThat(masked.exit()).as(masked.toString()).isZero();
            assertThat(masked.out()).contains("\"rows\":6").contains("\"mask\":\"tier1\"").contains("\"sha256\":\"");
            String csv = Files.readString(out);
            assertThat(csv).contains("\"1****************X\"").contains("\"138****1234\"").contains("\"张三\"")
                    .doesNotContain("11010519491231002X").doesNotContain("13812341234")
                    .contains("\"'=HYPERLINK(\"\"http://x\"\")\"");

            Path tier2 = db.directory().resolve("tier2.jsonl");
            assertThat(cim.run("export", "--scope", "source", "--out", tier2.toString(), "--mask", "tier2").exit())
                    .isZero();
            assertThat(Files.readString(tier2)).contains("\"name\":\"张*\"").doesNotContain("张三")
                    .contains("\"address\":\"北京市海淀区****\"");

            CliRunner.Result piped = cim.run("export", "--scope", "source", "--out", "-");
            assertThat(piped.exit()).as(piped.toString()).isZero();
            assertThat(piped.out()).as("--out - is standard output").startsWith("source_system,source_key,")
                    .contains("\"138****1234\"");
            assertThat(piped.err()).contains("sha256");
            assertThat(db.directory().resolve("-")).as("no file named -").doesNotExist();
            assertThat(cim.run("audit", "log", "--action", "export", "-o", "json").out())
                    .contains("\"object_type\":\"file\",\"object_id\":\"-\"");

            Path json = db.directory().resolve("t.json");
            assertThat(cim.run("export", "--scope", "source", "--out", json.toString()).exit()).isZero();
            assertThat(Files.readString(json)).as("a .json file gets JSON, not CSV").startsWith("{\"")
                    .contains("\"source_system\":\"agent\"");

            CliRunner.Result refused = cim.run("export", "--scope", "source", "--out", out.toString(), "--mask", "none");
            assertThat(refused.exit()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(refused.err()).contains("needs a reason");

            Path clear = db.directory().resolve("clear.csv");
            CliRunner.Result unmasked = cim.run("export", "--scope", "source", "--out", clear.toString(), "--mask",
                    "none", "--reason", "court order 2026-17", "--actor", "auditor-wang");
            assertThat(unmasked.exit()).as(unmasked.toString()).isZero();
            assertThat(Files.readString(clear)).contains("11010519491231002X").contains("+8613812341234");
            CliRunner.Result log = cim.run("audit", "log", "--action", "export", "-o", "json");
            assertThat(log.out()).contains("\"actor\":\"auditor-wang\"").contains("\"reason\":\"court order 2026-17\"")
                    .contains("\"mask\":\"none\"").contains("\"row_count\":6").contains("\"file_sha256\":");

            assertThat(cim.run("export", "--out", db.directory().resolve("golden.csv").toString()).exit()).isZero();
            assertThat(Files.readAllLines(db.directory().resolve("golden.csv"))).as("no golden records yet").hasSize(1);
        }
    }

    /** A merged code stays resolvable (SPEC: it redirects to the survivor); an unknown one is an error, no file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aMergedCodeExportsItsSurvivorAndAnUnknownCodeIsRefused(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            assertThat(cim.run("codes", "assign").exit()).isZero();
            String xref = cim.run("codes", "xref", "-o", "csv").out();
            String zhang = code(xref, "agent,AG-0001");
            String li = code(xref, "agent,AG-0002");
            assertThat(cim.run("codes", "merge", zhang, li, "--reason", "same person").exit()).isZero();

            Path golden = db.directory().resolve("li.csv");
            CliRunner.Result merged = cim.run("export", "--out", golden.toString(), "--customer", li, "-o", "json");
            assertThat(merged.exit()).as(merged.toString()).isZero();
            assertThat(merged.out()).contains("\"rows\":1");
            assertThat(Files.readAllLines(golden)).hasSize(2).last().asString().startsWith("\"" + zhang + "\",");
            Path sources = db.directory().resolve("li-sources.csv");
            assertThat(cim.run("export", "--scope", "source", "--out", sources.toString(), "--customer", li).exit())
                    .isZero();
            assertThat(Files.readString(sources)).contains("\"AG-0001\"").contains("\"AG-0002\"").doesNotContain("\"AG-0003\"");
            assertThat(cim.run("audit", "log", "--customer", li, "--action", "export").out()).contains("export");

            String unknown = CustomerCode.of(false, 999_999).value();
            Path none = db.directory().resolve("none.csv");
            CliRunner.Result refused = cim.run("export", "--out", none.toString(), "--customer", unknown);
            assertThat(refused.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(refused.err()).startsWith("ERROR: no customer " + unknown);
            assertThat(Files.exists(none)).isFalse();
        }
    }

    /** Bulk events name no customer, yet 'audit log --customer' finds those that touched it, and only those. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aCustomersLogHoldsTheBulkEventsThatTouchedIt(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            // before any code: the channels' records, whole, and the organisations' among them
            cim.require("export", "--scope", "source", "--out", db.directory().resolve("records.csv").toString());
            cim.require("export", "--scope", "source", "--type", "ORG", "--out",
                    db.directory().resolve("org-records.csv").toString());
            assertThat(cim.run("codes", "assign").exit()).isZero();
            String zhang = code(cim.run("codes", "xref", "-o", "csv").out(), "agent,AG-0001");
            assertThat(cim.run("export", "--out", db.directory().resolve("all.csv").toString()).exit()).isZero();
            assertThat(cim.run("export", "--out", db.directory().resolve("orgs.csv").toString(), "--type", "ORG")
                    .exit()).isZero();
            CliRunner.Result clear = cim.run("export", "--out", db.directory().resolve("clear.csv").toString(),
                    "--mask", "none", "--reason", "court order 5");
            assertThat(clear.exit()).as(clear.toString()).isZero();
            Path later = Files.writeString(db.directory().resolve("later.csv"), "source_key,name,mobile\n"
                    + "L1,欧阳娜娜,13912345670\n");
            assertThat(cim.run("import", later.toString(), "--source", "web").exit()).isZero();
            assertThat(cim.run("codes", "assign").exit()).isZero();
            String ouyang = code(cim.run("codes", "xref", "-o", "csv").out(), "web,L1");

            String zhangs = cim.run("audit", "log", "--customer", zhang, "-o", "json").out();
            assertThat(count(zhangs, "\"action\":\"codes.assign\"")).as(zhangs).isEqualTo(1);
            assertThat(count(zhangs, "\"action\":\"export\"")).as("the records' export before any code, the "
                    + "whole export and the unmasked one, not the organisations'").isEqualTo(3);
            assertThat(zhangs).contains("scope=source\"");
            assertThat(zhangs).contains("court order 5");
            String ouyangs = cim.run("audit", "log", "--customer", ouyang, "-o", "json").out();
            assertThat(count(ouyangs, "\"action\":\"codes.assign\"")).as("the later run only: " + ouyangs)
                    .isEqualTo(1);
            assertThat(count(ouyangs, "\"action\":\"export\"")).as("the exports came before it").isZero();
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /**
     * One stored value that does not open (altered in the database, or not even ciphertext) is written empty,
     * counted and named by its row; it does not stop the export, nor the display of the rest of the customer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aValueThatDoesNotOpenIsNamedAndSkippedNotFatal(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            cim.require("codes", "assign");
            String xref = cim.run("codes", "xref", "-o", "csv").out();
            String zhang = code(xref, "agent,AG-0001");
            String li = code(xref, "agent,AG-0002");
            try (var c = db.connect(); var st = c.createStatement()) {
                // a sealed value with one character of its ciphertext changed, and one that is no ciphertext at all
                st.execute("UPDATE customer SET mobile = SUBSTRING(mobile FROM 1 FOR 20) || CASE WHEN SUBSTRING(mobile "
                        + "FROM 21 FOR 1) = 'A' THEN 'B' ELSE 'A' END || SUBSTRING(mobile FROM 22) WHERE code = '"
                        + zhang + "'");
                st.execute("UPDATE customer SET id_number = 'cim1:not base64!' WHERE code = '" + li + "'");
            }
            Path out = db.directory().resolve("golden.csv");
            CliRunner.Result exported = cim.run("export", "--out", out.toString(), "-o", "json");
            assertThat(exported.exit()).as(exported.toString()).isZero();
            assertThat(exported.out()).contains("\"unreadable\":2");
            assertThat(exported.err()).contains("2 stored value(s) did not open").contains("customer " + zhang + " mobile")
                    .contains("customer " + li + " id_number");
            String csv = Files.readString(out);
            assertThat(csv).doesNotContain("138****1234").contains("139****1111");
            assertThat(cim.run("audit", "log", "--action", "export", "-o", "json").out()).contains("\"unreadable\":2");

            CliRunner.Result shown = cim.run("codes", "show", zhang);
            assertThat(shown.exit()).as(shown.toString()).isZero();
            assertThat(shown.out()).contains("(unreadable)").contains(zhang).contains("1****************X");
            assertThat(shown.err()).contains("the stored mobile of customer " + zhang + " did not open");

            // too short to be ciphertext, and under a key id no keyset has: altered values too, not internal errors
            try (var c = db.connect(); var st = c.createStatement()) {
                st.execute("UPDATE customer SET email = 'cim1:AA==' WHERE code = '" + li + "'");
            }
            CliRunner.Result shorter = cim.run("export", "--out", out.toString(), "-o", "json");
            assertThat(shorter.exit()).as(shorter.toString()).isZero();
            assertThat(shorter.out()).contains("\"unreadable\":3");
        }
    }

    /**
     * A keyset with the database's key ids but other keys (an edited or corrupted copy) opens nothing: that is the
     * wrong keyset, exit 77 and no file, not a file of empty values.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKeysetWithTheRightIdsButOtherKeysIsRefusedNotTakenForDamage(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            cim.require("codes", "assign");
            Path keyset = db.directory().resolve("keyset.json");
            var doc = (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Files.readString(keyset));
            var key = (tools.jackson.databind.node.ObjectNode) doc.get("encryption").get("key").get(0).get("keyData");
            byte[] material = java.util.Base64.getDecoder().decode(key.get("value").asString());
            material[material.length - 1] ^= 1;
            key.put("value", java.util.Base64.getEncoder().encodeToString(material));
            Path edited = db.directory().resolve("edited.json");
            Files.writeString(edited, doc.toString());
            Files.setPosixFilePermissions(edited, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Path out = db.directory().resolve("golden.csv");
            CliRunner.Result refused = cim.with("CIM_KEYSET", edited.toString()).run("export", "--out", out.toString());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(refused.err()).contains("the keyset is not the database's");
            assertThat(out).doesNotExist();
        }
    }

    private static String code(String csv, String record) {
        return csv.lines().filter(l -> l.startsWith(record + ",")).findFirst().orElseThrow().split(",")[2];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anUnwritablePathIsExit73AndLeavesNoFile(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            Path missingDir = db.directory().resolve("no/such/dir/out.csv");
            CliRunner.Result r = cim.run("export", "--scope", "source", "--out", missingDir.toString());
            assertThat(r.exit()).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
            assertThat(r.err()).startsWith("ERROR: cannot write " + missingDir);
            assertThat(Files.exists(missingDir)).isFalse();
            assertThat(cim.run("export", "--out", "x.csv", "--scope", "everything").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("export", "--out", "x.csv", "--mask", "tier9").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("export", "--out", "x.csv", "--customer", "P123").exit()).isEqualTo(ExitCode.USAGE.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void noClearFileAppearsWithoutItsRevealEventAndEveryUnmaskIsOneTransaction(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = loaded(db);
            cim.require("codes", "assign");
            String code;
            long next;
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                java.sql.ResultSet rs = st.executeQuery("SELECT min(code) FROM customer");
                rs.next();
                code = rs.getString(1);
                rs = st.executeQuery("SELECT last_seq FROM audit_head");
                rs.next();
                next = rs.getLong(1) + 1;
                // the event's customer row is taken already, so the append fails after the event row is written
                st.execute(backend == Backend.POSTGRESQL ? "SET session_replication_role = replica"
                        : "SET REFERENTIAL_INTEGRITY FALSE");
                st.execute("INSERT INTO audit_subject (customer_code, seq) VALUES ('" + code + "', " + next + ")");
                if (backend == Backend.H2) {
                    st.execute("SET REFERENTIAL_INTEGRITY TRUE");
                }
            }
            CliRunner.Result show = cim.run("codes", "show", code, "--mask", "none", "--reason", "case 17");
            assertThat(show.exit()).as(show.toString()).isEqualTo(ExitCode.INTERNAL.code());
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_event WHERE seq = " + next);
                rs.next();
                assertThat(rs.getLong(1)).as("the event went with the failed append, head and all").isZero();
                // now the event cannot be appended at all: the export must leave no clear file behind
                st.execute("DELETE FROM audit_head");
            }
            Path out = db.directory().resolve("clear.csv");
            CliRunner.Result export = cim.run("export", "--out", out.toString(), "--mask", "none", "--reason", "r");
            assertThat(export.exit()).as(export.toString()).isEqualTo(ExitCode.INTERNAL.code());
            assertThat(out).doesNotExist();
            try (java.util.stream.Stream<Path> left = Files.list(db.directory())) {
                assertThat(left.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith(".clear.csv"));
            }
        }
    }
}
