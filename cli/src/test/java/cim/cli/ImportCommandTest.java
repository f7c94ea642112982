package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** cim import through the front door, on both backends, with the repository's sample files. */
class ImportCommandTest {
    private static final Path SAMPLES = Path.of("../samples");

    /** A migrated database and a keyset for it, as a DBA sets up a central database. */
    static CliRunner migratedWithKeyset(TestDatabase db) {
        Path keyset = db.directory().resolve("keyset.json");
        CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url()).env("CIM_KEYSET", keyset.toString());
        assertThat(cim.run("keys", "init", "--out", keyset.toString()).exit()).isZero();
        assertThat(cim.run("db", "migrate").exit()).isZero();
        return cim.channels("agent", "web", "a", "pipe", "t");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theSampleFilesImportWithTheirRejectsListed(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = migratedWithKeyset(db);

            Path rejects = db.directory().resolve("rejects.csv");
            CliRunner.Result agent = cim.run("import", SAMPLES.resolve("agent.csv").toString(), "--source", "agent",
                    "--rejects", rejects.toString(), "-o", "json");
            assertThat(agent.exit()).as(agent.toString()).isZero();
            assertThat(agent.out()).contains("\"read\":6,\"accepted\":5,\"rejected\":1,\"skipped\":0");
            assertThat(Files.readString(rejects)).contains(",7,\"neither a name nor any identifier");

            CliRunner.Result again = cim.run("import", SAMPLES.resolve("agent.csv").toString(), "--source", "agent");
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("skipped: loaded before as batch");

            CliRunner.Result web = cim.run("import", SAMPLES.resolve("web.jsonl").toString(), "--source", "web");
            assertThat(web.exit()).as(web.toString()).isZero();
            assertThat(web.err()).contains("1 row was quarantined");
            assertThat(cim.run("db", "status").out()).containsPattern("rows source_record\\s+8")
                    .containsPattern("rows quarantine\\s+2");
            assertThat(cim.run("audit", "log", "--action", "import").out()).contains("batch 1").contains("batch 2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void badInputGetsTheExitCodeOfTheSpec(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = migratedWithKeyset(db);

            CliRunner.Result directory = cim.run("import", db.directory().toString(), "--source", "agent");
            assertThat(directory.exit()).as(directory.toString()).isEqualTo(ExitCode.INPUT.code());
            assertThat(directory.err()).contains("it is a directory");

            CliRunner.Result missing = cim.run("import", "nope.csv", "--source", "agent");
            assertThat(missing.exit()).isEqualTo(ExitCode.INPUT.code());
            assertThat(missing.err()).startsWith("ERROR: cannot read nope.csv");

            Path noKey = Files.writeString(db.directory().resolve("x.csv"), "编号,姓名\n1,张三\n");
            CliRunner.Result column = cim.run("import", noKey.toString(), "--source", "agent");
            assertThat(column.exit()).isEqualTo(ExitCode.INPUT.code());
            assertThat(column.err()).contains("no source_key column; its first line has 2 columns: name known, 1 not "
                    + "known (their text is not shown)");
            Path mapping = Files.writeString(db.directory().resolve("map.txt"), "编号 = source_key\n");
            assertThat(cim.run("import", noKey.toString(), "--source", "agent", "--mapping", mapping.toString())
                    .exit()).isZero();

            Path limit = db.directory().resolve("limit-rejects.csv");
            CliRunner.Result over = cim.run("import", SAMPLES.resolve("agent.csv").toString(), "--source", "agent",
                    "--max-rejects", "0", "--rejects", limit.toString());
            assertThat(over.exit()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(over.err()).contains("1 of 6 rows rejected, over --max-rejects 0; nothing was stored");
            assertThat(Files.readString(limit)).as("the rejects say why").contains("neither a name");
            assertThat(cim.run("db", "status").out()).containsPattern("rows source_record\\s+1\\n");

            Path noChannel = Files.writeString(db.directory().resolve("no-channel.csv"), "source_key,name\nC1,张三\n");
            CliRunner.Result noSource = cim.run("import", noChannel.toString());
            assertThat(noSource.exit()).as("no --source and no source_system column: " + noSource).isEqualTo(ExitCode.USAGE.code());
            assertThat(noSource.err()).contains("--source is required");
            assertThat(cim.run("import", noKey.toString(), "--source", "a", "--max-rejects", "many").exit())
                    .isEqualTo(ExitCode.USAGE.code());
            CliRunner.Result dry = cim.run("import", SAMPLES.resolve("web.jsonl").toString(), "--source", "web",
                    "--dry-run", "-o", "json");
            assertThat(dry.out()).contains("\"read\":4,\"accepted\":3,\"rejected\":1").contains("\"dry_run\":true");
            assertThat(cim.run("db", "status").out()).containsPattern("rows source_record\\s+1\\n");

            Path ownChannels = Files.writeString(db.directory().resolve("own.csv"),
                    "source_system,source_key,name\nweb,C2,张三\nagent,C3,李四\n,C4,王五\n");
            CliRunner.Result own = cim.run("import", ownChannels.toString(), "-o", "json");
            assertThat(own.exit()).as("every row names its channel: --source is not needed, " + own).isZero();
            assertThat(own.out()).contains("\"accepted\":2,\"rejected\":1");
            assertThat(cim.run("codes", "xref", "--source", "web").exit()).isZero();

            // - is standard input: named so in the batch and the audit trail
            CliRunner.Result piped = cim.runWithInput("source_key,name\nS1,赵六\n", "import", "-", "--source", "pipe",
                    "-o", "json");
            assertThat(piped.exit()).as(piped.toString()).isZero();
            assertThat(piped.out()).contains("\"file\":\"-\"").contains("\"accepted\":1");
            assertThat(db.directory().resolve("-")).doesNotExist();
            CliRunner.Result pipedJson = cim.runWithInput("{\"source_key\":\"S2\",\"name\":\"钱七\"}\n", "import",
                    "-", "--source", "pipe");
            assertThat(pipedJson.exit()).as("JSON Lines recognised on standard input: " + pipedJson).isZero();

            // a file that loaded nothing is not a success for cron
            Path allBad = Files.writeString(db.directory().resolve("all-bad.csv"), "source_key,name\n,王五\n,赵六\n");
            CliRunner.Result nothing = cim.run("import", allBad.toString(), "--source", "agent", "-o", "json");
            assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(nothing.out()).startsWith("{\"ok\":false").contains("\"accepted\":0,\"rejected\":2")
                    .contains("\"error\":{\"exit\":1");
            assertThat(nothing.err()).startsWith("ERROR: " + allBad + " (2 rows): not one row was usable")
                    .doesNotContain("王五");
            Path utf8 = Files.writeString(db.directory().resolve("utf8.csv"), "source_key,name\nU1,欧阳娜娜\n");
            CliRunner.Result declared = cim.run("import", utf8.toString(), "--source", "agent", "--encoding", "GB18030");
            assertThat(declared.exit()).as("not stored as mojibake: " + declared).isEqualTo(ExitCode.INPUT.code());
            assertThat(declared.err()).contains("is declared GB18030 (--encoding) but is UTF-8");

            Path twice = Files.writeString(db.directory().resolve("twice.csv"), "source_key,name,name\nT1,王五,赵六\n");
            CliRunner.Result repeated = cim.run("import", twice.toString(), "--source", "agent");
            assertThat(repeated.exit()).as(repeated.toString()).isEqualTo(ExitCode.INPUT.code());
            assertThat(repeated.err()).contains("columns 2 and 3 both give name").doesNotContain("王五");
            Path phone = Files.writeString(db.directory().resolve("phone.csv"), "source_key,name,电话\nT2,王五,"
                    + "13800000000\n");
            Path toName = Files.writeString(db.directory().resolve("to-name.txt"), "电话 = name\n");
            CliRunner.Result mapped = cim.run("import", phone.toString(), "--source", "agent", "--mapping",
                    toName.toString());
            assertThat(mapped.exit()).as("a phone number is not stored as the name").isEqualTo(ExitCode.INPUT.code());
            assertThat(mapped.err()).contains("columns 2 and 3 both give name");

            Path oneGood = Files.writeString(db.directory().resolve("one-good.csv"), "source_key,name\n,王五\nG1,赵六\n");
            assertThat(cim.run("import", oneGood.toString(), "--source", "agent").exit()).as("some usable").isZero();
        }
    }

    /**
     * A file that delivers one key many times (a botched extract, a file of identical rows) is stored, each line the
     * record's next version, and the run says how many rows repeat a key of an earlier line (a key delivered by an
     * earlier file is a redelivery, not a repeat); the customer is one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rowsThatRepeatAKeyOfTheFileAreCountedAndSaidSo(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = migratedWithKeyset(db);
            Path first = Files.writeString(db.directory().resolve("first.csv"),
                    "source_key,name,mobile\nK1,张三,13800000001\n");
            cim.require("import", first.toString(), "--source", "agent");
            StringBuilder rows = new StringBuilder("source_key,name,mobile\nK1,张三,13800000001\n");
            for (int i = 0; i < 5_000; i++) {
                rows.append("R1,李四,13900000002\n");
            }
            rows.append("R2,王五,13700000003\n");
            Path same = Files.writeString(db.directory().resolve("same.csv"), rows);
            CliRunner.Result json = cim.run("import", same.toString(), "--source", "agent", "-o", "json");
            assertThat(json.exit()).as(json.toString()).isZero();
            assertThat(json.out()).contains("\"accepted\":5002,").contains("\"repeated\":4999,");
            assertThat(json.err()).contains("same.csv: 4999 rows repeat the source key of an earlier line; each is "
                    + "stored as that record's next version").doesNotContain("李四");
            assertThat(cim.run("-q", "import", same.toString(), "--source", "agent", "--force").err()).isEmpty();
            cim.require("codes", "assign");
            assertThat(cim.require("codes", "xref", "-o", "csv").out().lines().skip(1)
                    .map(line -> line.split(",")[2]).distinct().count()).as("one customer per key").isEqualTo(3);
        }
    }
}
