package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels through the front door: an import into one not registered is refused (exit 65) with the command that
 * registers it, a row naming one goes to quarantine, and each channel names the department answerable for it.
 */
class ChannelsCommandTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void recordsComeInOnlyThroughARegisteredChannel(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", "source_key,name,mobile\nA1,张三,13812345678\n");
            Path file = Files.writeString(db.directory().resolve("wx.csv"), "source_key,name,mobile\n"
                    + "X1,李四,13912345678\n");
            CliRunner.Result refused = cim.run("import", file.toString(), "--source", "wechat");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.INPUT.code());
            assertThat(refused.err()).startsWith("ERROR: channel 'wechat' is not registered")
                    .contains("hint: an admin registers it: cim channels add wechat --name NAME --owner DEPT");
            assertThat(cim.run("import", file.toString(), "--source", "wechat", "--dry-run").exit()).isEqualTo(ExitCode.INPUT.code());
            assertThat(cim.require("db", "status", "-o", "json").out()).contains("\"source_record\":1");

            assertThat(cim.require("channels", "add", "wechat", "--name", "微信公众号", "--owner", "电子商务部", "-o",
                    "json").out()).contains("\"code\":\"wechat\"", "\"owner\":\"电子商务部\"");
            // a dry run stores nothing and may run without the keyset (it checks no signature)
            CliRunner.Result keyless = cim.with("CIM_KEYSET", db.directory().resolve("absent.json").toString())
                    .run("import", file.toString(), "--source", "wechat", "--dry-run", "-o", "json");
            assertThat(keyless.exit()).as(keyless.toString()).isZero();
            assertThat(keyless.out()).contains("\"accepted\":1");
            cim.require("import", file.toString(), "--source", "wechat");
            CliRunner.Result again = cim.run("channels", "add", "wechat", "--name", "x", "--owner", "y");
            assertThat(again.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(again.err()).contains("registered already", "cim channels set wechat");
            assertThat(cim.run("channels", "add", "WeChat", "--name", "x", "--owner", "y").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("channels", "add", "web", "--name", "官网").exit()).isEqualTo(ExitCode.USAGE.code());

            // a row that names a channel of its own that is not registered is quarantined, the rest goes in
            Path own = Files.writeString(db.directory().resolve("own.csv"), "source_system,source_key,name,mobile\n"
                    + "wechat,X2,王五,13712345678\nmystery,M1,赵六,13612345678\n");
            assertThat(cim.require("import", own.toString(), "-o", "json").out()).contains("\"accepted\":1",
                    "\"rejected\":1");

            CliRunner.Result list = cim.require("channels", "list");
            assertThat(list.out()).containsPattern("agent +agent +test department +1 +0")
                    .containsPattern("wechat +微信公众号 +电子商务部 +2 +0");
            cim.require("channels", "set", "wechat", "--owner", "新媒体中心", "--reason", "reorganisation");
            assertThat(cim.require("channels", "list", "-o", "json").out()).contains("\"owner\":\"新媒体中心\"");
            assertThat(cim.run("channels", "set", "wechat", "--reason", "nothing").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.run("channels", "set", "nope", "--owner", "x", "--reason", "r").exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(cim.require("audit", "log", "--action", "channels.*").out()).contains("channels.add",
                    "channels.set", "reorganisation");
        }
    }
}
