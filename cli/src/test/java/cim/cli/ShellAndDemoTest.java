package cim.cli;

import cim.cli.shell.ShellCommand;
import cim.core.db.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ShellAndDemoTest {
    @TempDir
    Path dir;

    @Test
    void theShellRunsCommandsAndKeepsHistory() throws Exception {
        // the input stays open, as a person's terminal does; the shell must stop at 'exit' by itself
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typing, 8192);
        typing.write(("db migrate\ndb status\nnonsense\naudit verify\n"
                + "db status --db jdbc:postgresql://127.0.0.1:1/cim?password=s3cret\nexit\n")
                .getBytes(StandardCharsets.UTF_8));
        typing.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path home = Files.createDirectory(dir.resolve("home"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        picocli.CommandLine cmd = Cli.create(Map.of(), Map.of("CIM_HOME", home.toString(),
                "XDG_CONFIG_HOME", dir.toString()));
        ShellCommand shell = cmd.getSubcommands().get(ShellCommand.NAME).getCommand();
        shell.useStreams(in, out);
        int exit = cmd.execute(ShellCommand.NAME);
        typing.close();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("cim> ").containsPattern("schema version\\s+" + Migrations.LATEST)
                .contains("ERROR: Unmatched argument").containsPattern("chain\\s+intact");
        assertThat(Files.readString(home.resolve("shell_history"))).contains("db status")
                .contains("password=***").doesNotContain("s3cret");
        for (String file : List.of("shell_history", "cim.mv.db", "keyset.json")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve(file)))).as(file).isEqualTo("rw-------");
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .as("an existing home made 0755 by hand").isEqualTo("rwx------");
    }

    @Test
    void theDemoRunsEveryStepOnItsOwnDatabase() {
        CliRunner cim = new CliRunner(dir);
        CliRunner.Result demo = cim.run("demo");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("$ cim db migrate").contains("$ cim tiers list").contains("$ cim audit verify")
                .contains("$ cim import " + dir.resolve("home/demo/samples/agent.csv")).containsPattern("rows source_record\\s+2010")
                .contains("tiers.set")
                // the admission rules at work: the WeChat follower known by name and WeChat ID only waits
                .containsPattern("refused by admission\\s+1 \\(cim codes pending\\)")
                .containsPattern("wechat\\s+WX-0001\\s+PERSON\\s+no valid id_number or mobile or phone or email")
                // each channel with its owner, and 张三's spouse resolved to 李四's customer code
                .containsPattern("wechat +微信公众号 +电子商务部")
                .containsPattern("Relations:\\s+TYPE +CODE +NAME\\s+spouse +P\\d{9}[0-9X] +李四")
                .containsPattern("chain\\s+intact").contains(dir.resolve("home/demo").toString());
        assertThat(Files.exists(dir.resolve("home/demo/cim.mv.db"))).isTrue();
        assertThat(Files.exists(dir.resolve("home/cim.mv.db"))).as("the demo never touches the real database")
                .isFalse();
        CliRunner.Result json = cim.run("demo", "-o", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{\"ok\":true,\"command\":\"demo\"").hasLineCount(1);
    }
}
