package cim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded database's keyset has a protection of its own: a copy of the cim home alone reveals nothing. */
class EmbeddedKeysetTest {
    private static final String RECORDS = "source_key,name,mobile,id_number\nA1,张三,13812345678,11010519491231002X\n";

    private static CliRunner home(Path dir) {
        return new CliRunner(dir);
    }

    private static void load(CliRunner cim, Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.csv"), RECORDS);
        cim.channels("agent");
        cim.require("import", file.toString(), "--source", "agent");
        cim.require("codes", "assign");
    }

    @Test
    void aCopyOfTheHomeAloneRevealsNothing(@TempDir Path dir) throws Exception {
        CliRunner cim = home(dir);
        load(cim, dir);
        Path keyset = dir.resolve("home/keyset.json");
        String stored = Files.readString(keyset);
        assertThat(stored).contains("\"format\" : \"cim-keyset-wrapped-1\"").contains("\"wrapped_by\" : \"key-file\"")
                .doesNotContain("\"encryption\"").doesNotContain("keyData").doesNotContain("AesGcmKey");
        Path wrapKey = dir.resolve("config/cim/keyset-wrap.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wrapKey))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wrapKey.getParent())))
                .isEqualTo("rwx------");

        // the thief has the home (database and keyset) but not the user's config directory
        Path stolen = Files.createDirectories(dir.resolve("thief"));
        CliRunner thief = new CliRunner(stolen).env("CIM_HOME", dir.resolve("home").toString());
        Path out = stolen.resolve("all.csv");
        CliRunner.Result refused = thief.run("export", "--out", out.toString(), "--mask", "none", "--reason", "x");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(refused.err()).contains("is wrapped under the wrap key").contains("does not exist")
                .doesNotContain("13812345678");
        assertThat(out).doesNotExist();
        // nor does a wrap key of its own open it
        thief.run("keys", "init", "--out", stolen.resolve("other.json").toString());
        Files.createDirectories(stolen.resolve("config/cim"));
        Files.writeString(stolen.resolve("config/cim/keyset-wrap.key"),
                java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(stolen.resolve("config/cim/keyset-wrap.key"),
                PosixFilePermissions.fromString("rw-------"));
        CliRunner.Result wrongKey = thief.run("export", "--out", out.toString());
        assertThat(wrongKey.exit()).as(wrongKey.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(wrongKey.err()).contains("wrapped under another wrap key");

        // the owner goes on, also after a rotation, which keeps the file wrapped the same way: a passphrase set
        // meanwhile is not used, and does not take over unconfirmed
        CliRunner.Result rotated = cim.with("CIM_KEYSET_PASSPHRASE", "a typo").run("keys", "rotate");
        assertThat(rotated.exit()).as(rotated.toString()).isZero();
        assertThat(rotated.err()).contains("CIM_KEYSET_PASSPHRASE is set, but the keyset").contains("not used");
        assertThat(Files.readString(keyset)).contains("cim-keyset-wrapped-1").contains("\"wrapped_by\" : \"key-file\"")
                .doesNotContain("keyData");
        CliRunner.Result shown = cim.run("export", "--out", dir.resolve("clear.csv").toString(), "--mask", "none",
                "--reason", "check");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(Files.readString(dir.resolve("clear.csv"))).contains("13812345678");
    }

    /** A keyset an older cim left in clear in the home is wrapped at its first use; the clear backup still opens. */
    @Test
    void aClearKeysetInTheHomeIsWrappedAtItsFirstUse(@TempDir Path dir) throws Exception {
        CliRunner cim = home(dir);
        Path keyset = dir.resolve("home/keyset.json");
        Files.createDirectories(keyset.getParent());
        cim.require("keys", "init", "--out", keyset.toString());
        Path backup = dir.resolve("backup.json");
        Files.copy(keyset, backup);
        Path file = Files.writeString(dir.resolve("a.csv"), RECORDS);
        // its first use: registering the channel to import into (audited, so the keyset is opened)
        CliRunner.Result first = cim.run("channels", "add", "agent", "--name", "个人代理", "--owner", "个人业务部");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.err()).contains("cim: wrapped the embedded keyset " + keyset);
        assertThat(Files.readString(keyset)).contains("cim-keyset-wrapped-1").doesNotContain("keyData");
        assertThat(cim.run("import", file.toString(), "--source", "agent").err()).doesNotContain("wrapped");

        // someone who can write the home plants a clear keyset of their own: refused, and not adopted (wrapped)
        Path planted = dir.resolve("planted.json");
        cim.require("keys", "init", "--out", planted.toString());
        Files.copy(planted, keyset, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliRunner.Result refused = cim.run("export", "--out", dir.resolve("p.csv").toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(refused.err()).doesNotContain("wrapped the embedded keyset");
        assertThat(Files.readString(keyset)).as("left as planted").contains("keyData");
        Files.copy(backup, keyset, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        CliRunner withBackup = new CliRunner(dir).env("CIM_KEYSET", backup.toString())
                .env("XDG_CONFIG_HOME", dir.resolve("elsewhere").toString());
        CliRunner.Result opened = withBackup.run("export", "--scope", "source", "--out",
                dir.resolve("b.csv").toString(), "--mask", "none", "--reason", "restore test");
        assertThat(opened.exit()).as(opened.toString()).isZero();
        assertThat(Files.readString(dir.resolve("b.csv"))).contains("13812345678");
    }

    @Test
    void aPassphraseProtectsTheKeysetWithNoKeyFileAtAll(@TempDir Path dir) throws Exception {
        CliRunner cim = home(dir).env("CIM_KEYSET_PASSPHRASE", "correct horse battery staple");
        load(cim, dir);
        assertThat(Files.readString(dir.resolve("home/keyset.json"))).contains("\"wrapped_by\" : \"passphrase\"");
        assertThat(dir.resolve("config/cim/keyset-wrap.key")).doesNotExist();

        String masked = dir.resolve("masked.csv").toString();
        CliRunner.Result without = home(dir).run("export", "--out", masked);
        assertThat(without.exit()).as(without.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(without.err()).contains("is protected by a passphrase").contains("CIM_KEYSET_PASSPHRASE");
        CliRunner.Result wrong = home(dir).env("CIM_KEYSET_PASSPHRASE", "Tr0ub4dor&3").run("export", "--out", masked);
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(ExitCode.NOT_PERMITTED.code());
        assertThat(wrong.err()).contains("does not open with the passphrase");
        assertThat(cim.run("export", "--out", masked).exit()).isZero();
    }
}
