package cim.cli;

import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeysetFile;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

/** tiers and keys through the front door, on both backends. */
class TiersAndKeysTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void reclassifyWithTheDatabasesKeyset(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url());
            CliRunner.Result unkeyed = cim.run("db", "migrate");
            assertThat(unkeyed.exit()).as("the migration's audit event is keyed: " + unkeyed).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(unkeyed.err()).contains("--keyset is required");
            Path keyset = db.directory().resolve("keys/cim-keyset.json");
            Files.createDirectories(keyset.getParent());
            CliRunner.Result init = cim.run("keys", "init", "--out", keyset.toString());
            assertThat(init.exit()).as(init.toString()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");
            assertThat(cim.run("keys", "init", "--out", keyset.toString()).exit()).as("never overwrites").isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
            assertThat(cim.run("db", "migrate", "--keyset", keyset.toString()).exit()).isZero();
            assertThat(cim.run("audit", "log", "--action", "db.migrate", "--keyset", keyset.toString()).out())
                    .as("the refused run applied nothing, so this one applied and audited the schema")
                    .contains("db.migrate");
            CliRunner.Result dryRun = cim.run("tiers", "set", "postal_code", "--tier", "1", "--dry-run");
            assertThat(dryRun.exit()).as("a dry run appends nothing, so needs no keyset: " + dryRun).isZero();

            CliRunner.Result list = cim.run("tiers", "list", "-o", "json");
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains("\"field\":\"id_number\",\"category\":\"basic\",\"origin\":\"original\","
                    + "\"tier\":1,\"protection\":\"encrypted + blind index\",\"masking\":\"resident_id\"");

            CliRunner.Result noKeyset = cim.run("tiers", "set", "postal_code", "--tier", "1", "--reason", "r");
            assertThat(noKeyset.exit()).as("a missing key is 77, as SPEC says: " + noKeyset).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(noKeyset.err()).contains("--keyset is required").contains("cim keys init");

            try (Database database = db.open()) {
                SourceRecords records = new SourceRecords(database.dsl(), new FieldProtector(KeysetFile.read(keyset)));
                records.source("a", Map.of(CustomerField.POSTAL_CODE, "100085"));
                records.source("b", Map.of(CustomerField.POSTAL_CODE, "310000"));
            }
            CliRunner withKeys = cim.env("CIM_KEYSET", keyset.toString());
            CliRunner.Result dry = withKeys.run("tiers", "set", "postal_code", "--tier", "1", "--dry-run", "-o", "json");
            assertThat(dry.out()).contains("\"values\":2,\"reprotect\":true,\"reveal\":false,\"dry_run\":true");
            CliRunner.Result set = withKeys.run("tiers", "set", "postal_code", "--tier", "1", "--reason", "notice 7",
                    "-o", "json");
            assertThat(set.exit()).as(set.toString()).isZero();
            assertThat(set.out()).contains("\"data\":{\"field\":\"postal_code\",\"from\":2,\"to\":1,\"values\":2");
            assertThat(withKeys.run("tiers", "history").out()).contains("postal_code").contains("notice 7");
            assertThat(withKeys.require("tiers", "history", "-o", "csv").out()).startsWith(
                    "id,requested,field,from,to,state,values,actor,reason\r\n1,").contains(",postal_code,2,1,done,2/2,");
            assertThat(withKeys.require("tiers", "history", "-o", "json").out()).matches("\\{\"ok\":true,"
                    + "\"command\":\"tiers history\",\"data\":\\{\"changes\":\\[\\{\"id\":1,\"requested_at\":\"[^\"]+Z\","
                    + "\"field\":\"postal_code\",\"from\":2,\"to\":1,\"state\":\"done\",\"values_done\":2,"
                    + "\"values_total\":2,\"actor\":\"[^\"]+\",\"reason\":\"notice 7\",\"finished_at\":\"[^\"]+Z\"}]}}\\s*");
            assertThat(withKeys.run("audit", "log", "--action", "tiers.*").out()).contains("tiers.set");

            Path other = db.directory().resolve("other.json");
            assertThat(cim.run("keys", "init", "--out", other.toString()).exit()).isZero();
            CliRunner.Result wrong = cim.run("tiers", "set", "postal_code", "--tier", "2", "--reason", "r",
                    "--keyset", other.toString());
            assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(wrong.err()).contains("is not this database's");

            CliRunner.Result rotate = withKeys.run("keys", "rotate", "-o", "json");
            assertThat(rotate.exit()).as(rotate.toString()).isZero();
            assertThat(rotate.out()).contains("\"values\":2").containsPattern("\"disabled\":\\[[0-9]+\\]");
            assertThat(Files.readString(keyset)).as("the old key is disabled in the file").contains("\"DISABLED\"");
            assertThat(withKeys.run("keys", "status").out()).contains("retired").contains("primary");
            assertThat(withKeys.require("keys", "status", "-o", "csv").out()).matches("purpose,key,status,in_keyset,"
                    + "since\r\n(blind_index,\\d+,primary,yes,[0-9T:.-]+Z\r\n)(encryption,\\d+,(primary,yes|retired,"
                    + "disabled),[0-9T:.-]+Z\r\n){2}");
            assertThat(withKeys.require("keys", "status", "-o", "json").out()).matches(".*\"keys\":\\[\\{\"purpose\":"
                    + "\"blind_index\",\"key_id\":\\d+,\"status\":\"primary\",\"in_keyset\":true,"
                    + "\"disabled_in_keyset\":false},(\\{\"purpose\":\"encryption\",\"key_id\":\\d+,\"status\":"
                    + "\"(primary|retired)\",\"in_keyset\":true,\"disabled_in_keyset\":(false|true)},?){2}],.*\\s*");
            assertThat(withKeys.run("tiers", "set", "postal_code", "--tier", "2", "--reason", "back", "--allow-reveal")
                    .exit()).as("the rotated keyset file still reads everything").isZero();

            Path before = Files.copy(keyset, db.directory().resolve("before-blind-index.json"));
            CliRunner.Result rekeyed = withKeys.run("keys", "rotate", "--blind-index", "-o", "json");
            assertThat(rekeyed.exit()).as(rekeyed.toString()).isZero();
            assertThat(rekeyed.out()).contains("\"records\":2").contains("\"unreadable\":0");
            assertThat(withKeys.run("keys", "status", "-o", "json").out())
                    .containsPattern("\"purpose\":\"blind_index\",\"key_id\":[0-9]+,\"status\":\"retired\"");
            CliRunner.Result stale = withKeys.run("export", "--out", db.directory().resolve("x.csv").toString(),
                    "--keyset", before.toString());
            assertThat(stale.exit()).as("a copy from before finds nothing: it is refused").isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(stale.err()).contains("blind-index key");
            assertThat(withKeys.run("export", "--out", db.directory().resolve("y.csv").toString()).exit()).isZero();
        }
    }

    /**
     * The review's attacks on the registry through the front door: a table owner without the keyset lowers two
     * tiers in SQL; an operator lowers one with cim to unmask it in a default export.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aTierLoweredBehindCimsBackOrWithoutNamingTheRevealUnmasksNothing(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            String csv = "source_key,name,id_number,mobile\r\nA1,张三,11010519491231002X,13812341234\r\n"
                    + "A2,李四,110105198503070027,13912345678\r\n";
            CliRunner cim = CliRunner.withRecords(db, "agent", csv).channels("agent2");
            Path second = Files.writeString(db.directory().resolve("second.csv"), csv);
            Path out = db.directory().resolve("out.csv");
            CliRunner.Result lowered = cim.run("tiers", "set", "id_number", "--tier", "3", "--reason", "x");
            assertThat(lowered.exit()).as(lowered.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(lowered.err()).contains("decrypts its").contains("--allow-reveal");
            assertThat(cim.run("export", "--scope", "source", "--out", out.toString()).exit()).isZero();
            assertThat(Files.readString(out)).doesNotContainPattern("\\d{17}[\\dX]");

            try (Database database = db.open()) {
                database.dsl().execute("UPDATE tier_registry SET tier = 3 WHERE field IN ('id_number', 'mobile')");
            }
            for (String[] command : new String[][] {
                    {"import", second.toString(), "--source", "agent2"},
                    {"export", "--scope", "source", "--out", db.directory().resolve("out2.csv").toString()},
                    {"quality", "check"}}) {
                CliRunner.Result refused = cim.run(command);
                assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
                assertThat(refused.err()).contains("entry for id_number was changed outside cim")
                        .contains("cim tiers set id_number --tier N");
            }
            try (Database database = db.open()) {
                assertThat(database.dsl().fetchCount(SOURCE_RECORD,
                        SOURCE_RECORD.SOURCE_SYSTEM.eq("agent2")))
                        .as("nothing stored, in clear or not").isZero();
            }
            CliRunner.Result verify = cim.run("tiers", "verify", "-o", "json");
            assertThat(verify.exit()).as(verify.toString()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(verify.out()).contains("\"changed_entries\":[\"id_number\",\"mobile\"]");
            assertThat(verify.err()).contains("ERROR: protection does not match the tier registry");

            for (String field : new String[] {"id_number", "mobile"}) {
                CliRunner.Result repaired = cim.run("tiers", "set", field, "--tier", "1", "--reason", "INC-9");
                assertThat(repaired.exit()).as(repaired.toString()).isZero();
            }
            CliRunner.Result fine = cim.run("tiers", "verify");
            assertThat(fine.exit()).as(fine.toString()).isZero();
            assertThat(fine.out()).contains("signed by this keyset").contains("all encrypted");
            assertThat(cim.run("import", second.toString(), "--source", "agent2").exit())
                    .isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void badFieldsAndTiersAreUsageErrors(Backend backend) {
        try (TestDatabase db = TestDatabase.create(backend)) {
            Path keyset = db.directory().resolve("keyset.json");
            CliRunner cim = new CliRunner(db.directory()).env("CIM_DB_URL", db.url())
                    .env("CIM_KEYSET", keyset.toString());
            assertThat(cim.run("keys", "init", "--out", keyset.toString()).exit()).isZero();
            assertThat(cim.run("db", "migrate").exit()).isZero();
            CliRunner.Result field = cim.run("tiers", "set", "shoe_size", "--tier", "1", "--reason", "r");
            assertThat(field.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(field.err()).contains("unknown field 'shoe_size'").contains("id_number, uscc");
            CliRunner.Result tier = cim.run("tiers", "set", "email", "--tier", "0", "--reason", "r");
            assertThat(tier.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(tier.err()).contains("use 1, 2 or 3");
            assertThat(cim.run("tiers", "set", "email", "--tier", "2").exit()).as("no reason").isEqualTo(ExitCode.USAGE.code());
        }
    }
}
