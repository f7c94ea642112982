package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Cleansing through the front door: codes show says what a value was cleansed from, a quality rule counts them. */
class CleansingCommandTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aCleansedValueShowsWhatItWasAsReceived(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "客户编号,姓名,性别,证件号码,手机号,地址\n"
                    + "A1,梁 健,男,11010519491231002X,13812345678,北京市北京市海淀区中关村大街27号\n"
                    + "A2,李四,M,110105198503070027,13912345678,上海市浦东新区\n");
            cim.require("codes", "assign");
            String code = cim.require("codes", "show", "--source", "agent", "--key", "A1", "-o", "json").out()
                    .replaceAll("(?s).*\"code\":\"([PG][0-9]+[0-9X])\".*", "$1");
            CliRunner.Result shown = cim.require("codes", "show", code);
            assertThat(shown.out()).containsPattern("gender +M +agent/A1#1 \\(cleansed from 男\\)")
                    .containsPattern("name +梁健 +agent/A1#1 \\(cleansed from 梁 健\\)")
                    .containsPattern("address +北京市海淀区中关村大街27号 +agent/A1#1 \\(cleansed from 北京市北京市");
            assertThat(cim.require("codes", "show", code, "--mask", "tier2", "-o", "json").out())
                    .contains("\"cleansed_from\":{", "\"name\":\"梁*\"").doesNotContain("梁 健");

            CliRunner.Result quality = cim.run("quality", "check", "--scope", "source", "-o", "json");
            assertThat(quality.out()).containsPattern(
                    "\"id\":\"record.cleansed\"[^}]*\"checked\":2,\"failed\":1[^}]*\"status\":\"pass\"");

            Path off = Files.writeString(db.directory().resolve("off.yaml"), "cleansing:\n  gender: false\n");
            cim.require("policy", "set", off.toString(), "--reason", "the channel sends M/F");
            assertThat(cim.require("policy", "show", "-o", "json").out()).contains("\"gender\":false");
            Path bad = Files.writeString(db.directory().resolve("bad.yaml"), "cleansing:\n  gender: maybe\n");
            CliRunner.Result refused = cim.run("policy", "set", bad.toString(), "--reason", "x");
            assertThat(refused.exit()).isEqualTo(ExitCode.CONFIGURATION.code());
            assertThat(refused.err()).contains(bad + ":2: cleansing gender must be true or false");
        }
    }
}
