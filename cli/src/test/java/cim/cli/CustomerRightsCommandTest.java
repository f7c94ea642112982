package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer's rights through the front door (PIPL Art. 44-47): find by a value read from standard input, a
 * steward's correction kept by survivorship, erasure refused under retention and restriction instead, purpose-bound
 * exports, and the access report of who used the data.
 */
class CustomerRightsCommandTest {
    static final String RECORDS = "source_key,name,id_number,mobile,email,status\n"
            + "A1,张三,11010519491231002X,13812345678,zhang@example.cn,\n"
            + "A2,李四,110105198503070027,13912345678,,INSURED\n"
            + "A3,王五,110105197001010019,13712345678,,\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void findsByAnyFormOfAnIdentifierFromStandardInputOnly(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS).channels("web");
            // a second mobile, held by the web channel's record only (the agent's wins the golden record)
            Path web = Files.writeString(db.directory().resolve("web.csv"), "source_key,name,id_number,mobile\n"
                    + "W1,张三,11010519491231002X,13511112222\n");
            cim.require("import", web.toString(), "--source", "web");
            cim.require("codes", "assign");
            String zhang = code(cim, "A1");
            assertThat(cim.require("codes", "show", zhang).out()).doesNotContain("135****2222");
            assertThat(cim.runWithInput("13511112222\n", "codes", "find", "--mobile", "-").out()).contains(zhang);

            // a 15-digit ID, full-width digits, a +86 mobile with hyphens: the same customer
            for (String[] asked : new String[][] {{"--id-number", "110105491231002\n"},
                {"--mobile", "１３８ １２３４ ５６７８\n"}, {"--mobile", "+86 138-1234-5678\n"},
                {"--email", "ZHANG@example.CN\n"}}) {
                CliRunner.Result found = cim.runWithInput(asked[1], "codes", "find", asked[0], "-", "-o", "json");
                assertThat(found.exit()).as(found.toString()).isZero();
                assertThat(found.out()).contains("\"code\":\"" + zhang + "\"", "\"name\":\"张*\"")
                        .doesNotContain("张三");
            }
            CliRunner.Result byName = cim.runWithInput("张三\n1949-12-31\n", "codes", "find", "--name", "-",
                    "--birth-date", "-");
            assertThat(byName.exit()).as(byName.toString()).isZero();
            assertThat(byName.out()).contains(zhang).doesNotContain(code(cim, "A2"));

            // a value on the command line is refused without being repeated, and leaves no event
            CliRunner.Result onArgv = cim.run("codes", "find", "--mobile", "13812345678");
            assertThat(onArgv.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(onArgv.err()).contains("--mobile takes '-'").doesNotContain("13812345678");
            // none found: exit 1, for scripts
            CliRunner.Result none = cim.runWithInput("13600000000\n", "codes", "find", "--mobile", "-");
            assertThat(none.exit()).isEqualTo(ExitCode.CHECK_FAILED.code());
            assertThat(none.err()).startsWith("ERROR: no customer holds that mobile").doesNotContain("13600000000");
            assertThat(cim.runWithInput("13600000000\n", "codes", "find", "--mobile", "-", "-o", "json").out())
                    .contains("\"ok\":false", "\"exit\":1");
            assertThat(cim.runWithInput("", "codes", "find", "--mobile", "-").exit()).isEqualTo(ExitCode.INPUT.code());

            // every lookup is audited with what it found and the field, never the value
            String log = cim.require("audit", "log", "--action", "codes.find", "-o", "json").out();
            assertThat(log).contains(zhang, "\"field\":\"mobile\"").doesNotContain("13812345678", "138-1234")
                    .doesNotContain("13600000000");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aCorrectionOutlivesNewRecordsUntilUnpinnedAndSurvivesReprotectionAndMerges(Backend backend)
            throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS);
            cim.require("codes", "assign");
            String zhang = code(cim, "A1");
            String wang = code(cim, "A3");

            CliRunner.Result invalid = cim.runWithInput("1381234\n", "codes", "correct", zhang, "--field", "mobile",
                    "--reason", "call 1");
            assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(ExitCode.INPUT.code());
            assertThat(invalid.err()).contains("the new mobile is invalid").doesNotContain("1381234");
            assertThat(cim.runWithInput("13700001111\n", "codes", "correct", zhang, "--field", "mobile",
                    "--reason", "call 1").exit()).isZero();
            assertThat(cim.runWithInput("13700001111\n", "codes", "find", "--mobile", "-").out()).contains(zhang);

            // a newer record from the channel does not displace the steward's value
            Path newer = Files.writeString(db.directory().resolve("newer.csv"),
                    "source_key,name,id_number,mobile\nA1,张三,11010519491231002X,13600002222\n");
            cim.require("import", newer.toString(), "--source", "agent");
            cim.require("codes", "assign");
            assertThat(golden(cim, zhang)).contains("13700001111").doesNotContain("13600002222");
            assertThat(cim.require("codes", "show", zhang).out()).contains("steward's correction");
            cim.require("codes", "correct", zhang, "--field", "mobile", "--unpin", "--reason", "call 2");
            assertThat(golden(cim, zhang)).contains("13600002222").doesNotContain("13700001111");
            assertThat(cim.run("codes", "correct", zhang, "--field", "mobile", "--unpin", "--reason", "again")
                    .exit()).isEqualTo(ExitCode.USAGE.code());

            // a corrected value moved into tier 1 and under a new key still opens
            cim.runWithInput("北京市海淀区更正路1号\n", "codes", "correct", zhang, "--field", "address", "--reason",
                    "moved");
            cim.require("tiers", "set", "address", "--tier", "1", "--reason", "policy 2026");
            cim.require("keys", "rotate");
            assertThat(golden(cim, zhang)).contains("北京市海淀区更正路1号");
            cim.require("tiers", "verify");
            // a corrected identifier is found under a new blind-index key too
            cim.runWithInput("13700003333\n", "codes", "correct", zhang, "--field", "mobile", "--reason", "call 3");
            cim.require("keys", "rotate", "--blind-index");
            // the golden record is built again from the correction (a new record of the customer arrives)
            Path third = Files.writeString(db.directory().resolve("third.csv"),
                    "source_key,name,id_number,mobile\nA1,张三,11010519491231002X,13600004444\n");
            cim.require("import", third.toString(), "--source", "agent");
            cim.require("codes", "assign");
            assertThat(cim.runWithInput("137 0000 3333\n", "codes", "find", "--mobile", "-").out()).contains(zhang);

            // a merge carries the absorbed customer's corrections where the survivor has none
            cim.runWithInput("wang.new@example.cn\n", "codes", "correct", wang, "--field", "email", "--reason",
                    "form 3");
            cim.runWithInput("zhang.new@example.cn\n", "codes", "correct", zhang, "--field", "email", "--reason",
                    "form 4");
            cim.runWithInput("{\"privacy\":\"no-marketing\"}\n", "codes", "correct", wang, "--field",
                    "preferences", "--reason", "form 5");
            cim.require("codes", "merge", zhang, wang, "--reason", "same household record");
            assertThat(golden(cim, zhang)).contains("zhang.new@example.cn", "no-marketing")
                    .doesNotContain("wang.new@example.cn");

            // the history and the trail name the field, never a value
            String log = cim.require("audit", "log", "--action", "codes.correct", "-o", "json").out();
            assertThat(log).contains("\"field\":\"mobile\"").doesNotContain("13700001111", "更正路", "new@example");
            cim.require("audit", "verify");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theMatchersMergesCarryTheAbsorbedCustomersCorrections(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile,birth_date\n"
                    + "B1,钱八,13911110000,1980-01-01\n").channels("web");
            Path id = Files.writeString(db.directory().resolve("id.csv"), "source_key,name,id_number\n"
                    + "B2,钱八,110105198001010016\n");
            cim.require("import", id.toString(), "--source", "agent");
            cim.require("codes", "assign");
            String byMobile = code(cim, "B1");
            String byId = code(cim, "B2");
            assertThat(byId).isNotEqualTo(byMobile);
            cim.runWithInput("qian.ba@example.cn\n", "codes", "correct", byId, "--field", "email", "--reason",
                    "form 9");
            // a record with both ties them: codes assign merges the two
            Path both = Files.writeString(db.directory().resolve("both.csv"), "source_key,name,id_number,mobile\n"
                    + "W1,钱八,110105198001010016,13911110000\n");
            cim.require("import", both.toString(), "--source", "web");
            assertThat(cim.require("codes", "assign", "-o", "json").out()).contains("\"merged\":1");
            String survivor = cim.require("codes", "xref", "--source", "web", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("web,W1,")).findFirst().orElseThrow().split(",")[2];
            assertThat(golden(cim, survivor)).contains("qian.ba@example.cn");
            assertThat(cim.require("codes", "show", survivor).out()).contains("steward's correction");
            assertThat(cim.runWithInput("qian.ba@example.cn\n", "codes", "find", "--email", "-").out())
                    .contains(survivor);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void eraseGivesWayToRetentionAndExportsHonourRestrictionAndPreferences(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS);
            cim.require("codes", "assign");
            String zhang = code(cim, "A1");
            String li = code(cim, "A2");
            String wang = code(cim, "A3");

            // li is insured: identity records are kept for AML, whatever a steward would write over its policies
            assertThat(cim.runWithInput("[{\"policy_no\":\"P1\",\"end_date\":\"2001-01-01\"}]\n", "codes",
                    "correct", li, "--field", "policies", "--reason", "x").exit()).isEqualTo(ExitCode.USAGE.code());
            CliRunner.Result refused = cim.run("codes", "erase", li, "--reason", "PIPL request 1");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(refused.err()).contains("retention rule aml_identity").contains("--restrict");
            assertThat(cim.require("codes", "erase", li, "--restrict", "--reason", "PIPL request 1").out())
                    .contains("restricted");
            assertThat(cim.require("codes", "show", li).out()).contains("restricted", "since");
            cim.runWithInput("{\"privacy\":\"no-marketing\"}\n", "codes", "correct", wang, "--field",
                    "preferences", "--reason", "opt-out");

            Path marketing = db.directory().resolve("marketing.csv");
            assertThat(cim.require("export", "--out", marketing.toString(), "--purpose", "marketing", "-o", "json")
                    .out()).contains("\"purpose\":\"marketing\"", "\"left_out\":2", "\"rows\":1");
            assertThat(Files.readString(marketing)).contains(zhang).doesNotContain(li).doesNotContain(wang);
            Path service = db.directory().resolve("service.csv");
            assertThat(cim.require("export", "--out", service.toString(), "-o", "json").out())
                    .contains("\"purpose\":\"service\"", "\"left_out\":1");
            assertThat(Files.readString(service)).contains(zhang, wang).doesNotContain(li);
            Path regulatory = db.directory().resolve("regulatory.csv");
            // the retention purpose is the one use left to a restricted customer: with a reason
            assertThat(cim.run("export", "--out", regulatory.toString(), "--purpose", "regulatory").exit())
                    .isEqualTo(ExitCode.NOT_PERMITTED.code());
            cim.require("export", "--out", regulatory.toString(), "--purpose", "regulatory", "--reason",
                    "regulator request 31");
            assertThat(Files.readString(regulatory)).contains(zhang, wang, li);
            assertThat(cim.run("export", "--out", regulatory.toString(), "--purpose", "fun").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.require("audit", "log", "--action", "export", "-o", "json").out())
                    .contains("\"purpose\":\"marketing\"", "\"left_out\":2");

            // zhang has no relationship: erased, the code kept
            cim.require("codes", "show", zhang, "--mask", "none", "--reason", "complaint 9");
            CliRunner.Result erased = cim.require("codes", "erase", zhang, "--reason", "PIPL deletion 2", "-o",
                    "json");
            assertThat(erased.out()).contains("\"records\":1");
            assertThat(cim.require("codes", "show", zhang).out()).contains("erased on");
            assertThat(cim.runWithInput("11010519491231002X\n", "codes", "find", "--id-number", "-").exit())
                    .isEqualTo(ExitCode.CHECK_FAILED.code());
            // a re-run says so and succeeds (cron, scripts); the code takes no data by merging
            assertThat(cim.require("codes", "erase", zhang, "--reason", "again", "-o", "json").out())
                    .contains("\"already\":true");
            assertThat(cim.run("codes", "merge", zhang, wang, "--reason", "x").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("codes", "correct", zhang, "--field", "name", "--unpin", "--reason", "x").exit())
                    .isEqualTo(ExitCode.USAGE.code());
            cim.require("export", "--out", service.toString(), "--purpose", "regulatory", "--reason", "regulator 32");
            assertThat(Files.readString(service)).doesNotContain(zhang);
            // a restriction stays with the data: merged into another customer, its data is still left out
            cim.require("codes", "merge", wang, li, "--reason", "same person after all");
            assertThat(cim.require("codes", "show", wang).out()).contains("restricted");
            cim.require("export", "--out", service.toString());
            assertThat(Files.readString(service)).doesNotContain(wang);
            assertThat(cim.require("codes", "xref", "-o", "csv").out()).doesNotContain(",A1,");
            cim.require("audit", "verify");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void retentionRunsFromEveryVersionTheChannelsDelivered(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS).channels("web");
            // a policy that ended in 2024, then a new version of the record without it: still kept until 2034
            Path first = Files.writeString(db.directory().resolve("v1.jsonl"), "{\"source_key\":\"W5\",\"name\":"
                    + "\"赵六\",\"id_number\":\"110105198001010016\",\"policies\":[{\"policy_no\":\"PDAA1\","
                    + "\"end_date\":\"2024-06-30\"}]}\n{\"source_key\":\"W6\",\"name\":\"孙七\",\"id_number\":"
                    + "\"110105199002020026\",\"policies\":[{\"policy_no\":\"PDAA2\",\"end_date\":\"2010-03-31\"}]}\n");
            cim.require("import", first.toString(), "--source", "web");
            Path second = Files.writeString(db.directory().resolve("v2.jsonl"), "{\"source_key\":\"W5\",\"name\":"
                    + "\"赵六\",\"id_number\":\"110105198001010016\"}\n");
            cim.require("import", second.toString(), "--source", "web");
            cim.require("codes", "assign");
            String zhao = cim.require("codes", "xref", "--source", "web", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("web,W5,")).findFirst().orElseThrow().split(",")[2];
            String sun = cim.require("codes", "xref", "--source", "web", "-o", "csv").out().lines()
                    .filter(l -> l.startsWith("web,W6,")).findFirst().orElseThrow().split(",")[2];
            CliRunner.Result kept = cim.run("codes", "erase", zhao, "--reason", "request 5");
            assertThat(kept.exit()).as(kept.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
            assertThat(kept.err()).contains("aml_identity", "until 2034-06-30", "ended on 2024-06-30");
            // a relationship that ended more than 10 years ago keeps nothing
            assertThat(cim.require("codes", "erase", sun, "--reason", "request 6", "-o", "json").out())
                    .contains("\"records\":1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anOptOutGivenInAnyChannelHoldsForTheCustomer(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS).channels("web");
            // the agent's preferences win the golden record (the policy trusts agents first); the web's opt-out counts
            Path agent = Files.writeString(db.directory().resolve("agent.jsonl"), "{\"source_key\":\"A1\",\"name\":"
                    + "\"张三\",\"id_number\":\"11010519491231002X\",\"preferences\":{\"channel\":\"phone\"}}\n");
            cim.require("import", agent.toString(), "--source", "agent");
            Path web = Files.writeString(db.directory().resolve("web.jsonl"), "{\"source_key\":\"W1\",\"name\":"
                    + "\"张三\",\"id_number\":\"11010519491231002X\",\"preferences\":{\"marketing\":false}}\n");
            cim.require("import", web.toString(), "--source", "web");
            cim.require("codes", "assign");
            String zhang = code(cim, "A1");
            assertThat(golden(cim, zhang)).contains("phone").doesNotContain("marketing");
            Path marketing = db.directory().resolve("marketing.csv");
            cim.require("export", "--out", marketing.toString(), "--purpose", "marketing");
            assertThat(Files.readString(marketing)).doesNotContain(zhang).contains(code(cim, "A2"));
            Path records = db.directory().resolve("records.csv");
            cim.require("export", "--scope", "source", "--out", records.toString(), "--purpose", "marketing");
            assertThat(Files.readString(records)).doesNotContain("\"A1\"").doesNotContain("\"W1\"").contains("\"A2\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theAccessReportHoldsTheDataAndWhoUsedItWhy(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", RECORDS);
            cim.require("codes", "assign");
            String zhang = code(cim, "A1");
            cim.runWithInput("13812345678\n", "codes", "find", "--mobile", "-");
            cim.require("codes", "show", zhang, "--mask", "none", "--reason", "complaint 9");
            cim.runWithInput("北京市西城区报告路2号\n", "codes", "correct", zhang, "--field", "address", "--reason",
                    "moved");
            cim.require("export", "--out", db.directory().resolve("all.csv").toString(), "--mask", "none",
                    "--reason", "regulator file");

            Path report = db.directory().resolve("report.json");
            CliRunner.Result written = cim.require("codes", "report", zhang, "--out", report.toString(), "--reason",
                    "access request A-1", "-o", "json");
            assertThat(written.out()).contains("\"code\":\"" + zhang + "\"");
            assertThat(Files.getPosixFilePermissions(report)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String json = Files.readString(report);
            assertThat(json).contains("\"golden_record\"", "张三", "+8613812345678", "北京市西城区报告路2号",
                    "\"corrected_fields\" : [ \"address\" ]", "\"source_system\" : \"agent\"", "\"source_key\" : \"A1\"");
            // who used the data and why: the lookup, the unmasked display, the correction, the bulk export
            assertThat(json).contains("\"action\" : \"codes.find\"", "\"scope\" : \"lookup by mobile\"",
                    "\"action\" : \"codes.show.unmasked\"", "\"reason\" : \"complaint 9\"",
                    "\"action\" : \"codes.correct\"", "\"reason\" : \"regulator file\"",
                    "\"scope\" : \"every customer\"", "\"unmasked\" : true");
            // the report is itself a use, audited as an unmasked read
            assertThat(cim.require("audit", "log", "--customer", zhang, "-o", "json").out())
                    .contains("codes.report", "access request A-1");
            assertThat(cim.run("codes", "report", zhang, "--out", db.directory().resolve("nodir/r.json").toString(),
                    "--reason", "x").exit()).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
        }
    }

    private static String golden(CliRunner cim, String code) {
        String shown = cim.require("codes", "show", code, "--mask", "none", "--reason", "test check", "-o", "json")
                .out();
        return shown.substring(shown.indexOf("\"golden\""), shown.indexOf("\"provenance\""));
    }

    static String code(CliRunner cim, String key) {
        return cim.require("codes", "xref", "-o", "csv").out().lines()
                .filter(l -> l.startsWith("agent," + key + ",")).findFirst().orElseThrow().split(",")[2];
    }
}
