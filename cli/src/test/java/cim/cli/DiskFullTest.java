package cim.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk, for real: the cim home and the output directory on small tmpfs file systems. A run that fills the
 * disk exits 73 with one plain ERROR line and keeps nothing; the embedded database still opens afterwards with what
 * was there before; an output file is written whole or not at all, and no temporary file is left behind.
 * Mounting needs root (as CI runs); elsewhere the test is skipped and says why.
 */
class DiskFullTest {
    @Test
    void aFullDiskIs73WithNothingHalfWrittenAndTheEmbeddedDatabaseStillOpens() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small file system needs root (CI runs as root)");
        Path dir = Files.createTempDirectory("cim-full-");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path out = Files.createDirectories(dir.resolve("out"));
        mount(home, "4m");
        try {
            mount(out, "16k");
            try {
                CliRunner cim = new CliRunner(dir).env("CIM_HOME", home.toString());
                Path small = dir.resolve("small.csv");
                cim.require("sample", "generate", "200", "--out", small.toString(), "--seed", "5");
                cim.channels(CliRunner.SAMPLE_CHANNELS);
                cim.require("import", small.toString());
                Path big = dir.resolve("big.csv");
                cim.require("sample", "generate", "30000", "--out", big.toString(), "--seed", "6");

                CliRunner.Result full = cim.run("import", big.toString());
                assertThat(full.exit()).as(full.toString()).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
                assertThat(full.err().lines().filter(l -> l.startsWith("ERROR:")).toList()).hasSize(1);
                assertThat(full.err()).contains("ERROR: the disk is full").doesNotContain("Exception")
                        .doesNotContain("internal error");

                CliRunner.Result status = cim.run("db", "status", "-o", "json");
                assertThat(status.exit()).as("the embedded database opens after the full disk: " + status).isZero();
                assertThat(status.out()).as("the 200 rows from before, nothing of the failed run")
                        .contains("\"source_record\":200");
                assertThat(cim.run("audit", "verify").exit()).isZero();

                Path export = out.resolve("golden.csv");
                CliRunner.Result exported = cim.run("export", "--scope", "source", "--out", export.toString());
                assertThat(exported.exit()).as(exported.toString()).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
                assertThat(exported.err()).contains("ERROR: cannot write " + export).contains("No space left");
                try (var left = Files.list(out)) {
                    assertThat(left.toList()).as("no partial output, no temporary file").isEmpty();
                }
                // the failures of a quality check would fit: fill the disk first
                Path filler = out.resolve("filler");
                try (var fill = Files.newOutputStream(filler)) {
                    byte[] block = new byte[1024];
                    for (int i = 0; i < 1024; i++) {
                        fill.write(block);
                        fill.flush();
                    }
                } catch (java.io.IOException expected) {
                    // full
                }
                CliRunner.Result failures = cim.run("quality", "check", "--scope", "source", "--failures",
                        out.resolve("failures.csv").toString());
                assertThat(failures.exit()).as(failures.toString()).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
                assertThat(failures.err()).contains("ERROR: cannot write");
                try (var left = Files.list(out)) {
                    assertThat(left.toList()).containsExactly(filler);
                }
            } finally {
                unmount(out);
            }
        } finally {
            unmount(home);
            delete(dir);
        }
    }

    /**
     * Every file cim writes, aimed at a directory it cannot write (a read-only file system: root, who runs CI, may
     * write where the mode bits say no): exit 73 with one ERROR line naming the file, nothing left there, and
     * nothing stored by an import whose rejects file cannot be made.
     */
    @Test
    void anUnwritableOutputDirectoryIs73ForEveryFileCimWrites() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a read-only file system needs root (CI runs as root)");
        Path dir = Files.createTempDirectory("cim-ro-");
        Path out = Files.createDirectories(dir.resolve("out"));
        mount(out, "1m", "ro");
        try {
            CliRunner cim = new CliRunner(dir);
            Path small = dir.resolve("small.csv");
            cim.require("sample", "generate", "50", "--out", small.toString(), "--seed", "5");
            cim.channels(CliRunner.SAMPLE_CHANNELS);
            String[][] commands = {
                    {"import", small.toString(), "--rejects", out.resolve("rejects.csv").toString()},
                    {"export", "--out", out.resolve("golden.csv").toString()},
                    {"quality", "check", "--failures", out.resolve("failures.csv").toString()},
                    {"quality", "check", "--out", out.resolve("report.json").toString()},
                    {"audit", "anchor", "--out", out.resolve("anchor.json").toString()},
                    {"keys", "init", "--out", out.resolve("keyset.json").toString()},
                    {"sample", "generate", "5", "--out", out.resolve("sample.csv").toString()},
            };
            for (String[] command : commands) {
                CliRunner.Result result = cim.run(command);
                String file = command[command.length - 1];
                assertThat(result.exit()).as(String.join(" ", command) + "\n" + result).isEqualTo(ExitCode.CANNOT_CREATE_OUTPUT.code());
                assertThat(result.err().lines().filter(l -> l.startsWith("ERROR:")).toList())
                        .as(String.join(" ", command)).singleElement().asString().contains(file);
                if (command[0].equals("import")) {
                    assertThat(cim.run("db", "status", "-o", "json").out()).as("nothing imported")
                            .contains("\"source_record\":0");
                    cim.require("import", small.toString());
                }
            }
            try (var left = Files.list(out)) {
                assertThat(left.toList()).isEmpty();
            }
        } finally {
            unmount(out);
            delete(dir);
        }
    }

    /** The test's directory and all in it (the file systems mounted in it are gone by then). */
    private static void delete(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void mount(Path where, String size) throws Exception {
        mount(where, size, "rw");
    }

    private static void mount(Path where, String size, String mode) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", mode + ",size=" + size, "tmpfs",
                where.toString())
                .redirectErrorStream(true).start();
        assertThat(mount.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mount.exitValue()).as("mount a tmpfs at " + where + ": "
                + new String(mount.getInputStream().readAllBytes())).isZero();
    }

    private static void unmount(Path where) throws Exception {
        new ProcessBuilder("umount", "-l", where.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
