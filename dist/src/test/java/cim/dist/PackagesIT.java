package cim.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages as a user gets them: the tar.gz unpacked anywhere and the .deb unpacked with dpkg-deb -x (not
 * installed), each running cim --version and cim demo from its launcher (also through a symlink elsewhere),
 * and man reading the packaged page. The .deb names what it needs and puts the completions where bash-completion
 * and fish load them.
 */
class PackagesIT {
    private static final Path TAR = Path.of(System.getProperty("cim.dist.tar"));
    private static final Path DEB = Path.of(System.getProperty("cim.dist.deb"));

    @Test
    void theArchiveRunsFromWhereverItIsUnpacked(@TempDir Path dir) throws Exception {
        run(dir, List.of("tar", "-xzf", TAR.toString(), "-C", dir.toString()), Map.of());
        // root's, and nobody else may write in it (a root cron job runs what is in it)
        for (String entry : run(dir, List.of("tar", "-tvzf", TAR.toString()), Map.of()).lines().toList()) {
            assertThat(entry).as(entry).matches("[-d]rw.r-.r-. root/root .*");
        }
        Path tree = dir.resolve(TAR.getFileName().toString().replace(".tar.gz", ""));
        Path cim = tree.resolve("bin").resolve("cim");
        assertThat(Files.isExecutable(cim)).isTrue();
        assertThat(tree.resolve("share/bash-completion/completions/cim")).exists();
        assertThat(tree.resolve("share/fish/vendor_completions.d/cim.fish")).exists();
        assertThat(tree.resolve("share/cim/samples/nightly/cim-nightly.sh")).isExecutable();
        works(dir, cim, tree.resolve("share/man/man1/cim.1"));

        // a Java older than 17 is named, exit 78, instead of a class-version trace
        Path old = Files.createDirectories(dir.resolve("jdk-11").resolve("bin"));
        Files.writeString(old.getParent().resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho 'java 11 ran' >&2\nexit 1\n");
        old.resolve("java").toFile().setExecutable(true);
        ProcessBuilder eleven = new ProcessBuilder(cim.toString(), "--version").redirectErrorStream(true);
        eleven.environment().put("JAVA_HOME", old.getParent().toString());
        Process refused = eleven.start();
        String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(refused.exitValue()).as(said).isEqualTo(78);
        assertThat(said).startsWith("ERROR: cim needs Java 17 or newer, and ").contains("is Java 11");

        // through a symlink from another directory (as a link on the PATH would be)
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("elsewhere")).resolve("cim"), cim);
        assertThat(run(dir, List.of(link.toString(), "--version"), Map.of())).startsWith("cim ");

        sharesItsClassesFromTheUsersCache(dir, cim);
    }

    /**
     * The class-data archive: made in the user's cache by the first run that is not the version alone, in a
     * directory only the user may open, then mapped; one cut short (a JVM given it aborts) is made again; with no
     * cache to write in, CIM_SHARE_CLASSES=off, or cim's directory there a link, cim runs without one. A JVM that
     * cannot use it says so on stderr only. (The jar's time is changed last.)
     */
    private static void sharesItsClassesFromTheUsersCache(Path dir, Path cim) throws Exception {
        Path home = Files.createTempDirectory(dir, "sharing");
        Path cache = home.resolve("cache");
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CACHE_HOME", cache.toString(),
                "CIM_HOME", home.resolve("cim").toString(), "XDG_CONFIG_HOME", home.resolve("config").toString());
        run(dir, List.of(cim.toString(), "--version"), env);
        assertThat(cache).doesNotExist();

        assertThat(run(dir, List.of(cim.toString(), "--help"), env)).startsWith("Administer the central");
        List<Path> archives = archives(cache);
        assertThat(archives).hasSize(1);
        assertThat(Files.getPosixFilePermissions(cache.resolve("cim")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(loadsFromTheArchive(dir, cim, env, home)).isTrue();

        // cut short: not mapped (the JVM would abort), made again
        byte[] start = new byte[4096];
        try (var in = Files.newInputStream(archives.get(0))) {
            assertThat(in.readNBytes(start, 0, start.length)).isEqualTo(start.length);
        }
        archives.get(0).toFile().setWritable(true);
        Files.write(archives.get(0), start);
        assertThat(run(dir, List.of(cim.toString(), "db", "status"), env)).contains("schema");
        assertThat(archives(cache)).hasSize(1);
        assertThat(Files.size(archives(cache).get(0))).isGreaterThan(start.length);
        assertThat(loadsFromTheArchive(dir, cim, env, home)).isTrue();

        Map<String, String> off = new java.util.HashMap<>(env);
        off.put("CIM_SHARE_CLASSES", "off");
        assertThat(loadsFromTheArchive(dir, cim, off, home)).isFalse();
        Map<String, String> unwritable = new java.util.HashMap<>(env);
        unwritable.put("XDG_CACHE_HOME", "/proc/no-cache-here");
        assertThat(run(dir, List.of(cim.toString(), "--help"), unwritable)).startsWith("Administer the central");
        assertThat(loadsFromTheArchive(dir, cim, unwritable, home)).isFalse();

        // cim's directory in the cache a link (to a directory of the user's): neither followed nor changed
        Path linked = Files.createTempDirectory(dir, "linked");
        Path elsewhere = Files.createDirectories(linked.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(Files.createDirectories(linked.resolve("cache")).resolve("cim"), elsewhere);
        Map<String, String> link = new java.util.HashMap<>(env);
        link.put("XDG_CACHE_HOME", linked.resolve("cache").toString());
        assertThat(run(dir, List.of(cim.toString(), "--help"), link)).startsWith("Administer the central");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
        assertThat(Files.getPosixFilePermissions(elsewhere))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        // a JVM that cannot use the archive (made for the jar as it was before its time changed, under the name
        // the launcher now looks for) complains on stderr, never into stdout
        String expected = stdout(dir, List.of(cim.toString(), "--help"), off);
        Path jar = cim.getParent().getParent().resolve("lib/cim/cim.jar");
        Path archive = archives(cache).get(0);
        String before = Files.size(jar) + "." + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + 100, TimeUnit.SECONDS));
        String after = Files.size(jar) + "." + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
        Files.move(archive, archive.resolveSibling(archive.getFileName().toString().replace(before, after)));
        assertThat(run(dir, List.of(cim.toString(), "--help"), env)).contains("Unable to use shared archive");
        assertThat(stdout(dir, List.of(cim.toString(), "--help"), env)).isEqualTo(expected);
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (var files = Files.list(cache.resolve("cim"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    /** Whether cim's own classes come from the archive in a run of --help. */
    private static boolean loadsFromTheArchive(Path dir, Path cim, Map<String, String> env, Path home)
            throws Exception {
        Path log = Files.createTempFile(home, "classes", ".log");
        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        assertThat(run(dir, List.of(cim.toString(), "--help"), logged)).startsWith("Administer the central");
        return Files.readAllLines(log).stream()
                .anyMatch(line -> line.contains("cim.cli.Main ") && line.contains("shared objects file"));
    }

    @Test
    void theDebianPackageRunsAndPutsItsFilesWhereTheSystemLooks(@TempDir Path dir) throws Exception {
        String info = run(dir, List.of("dpkg-deb", "--info", DEB.toString()), Map.of());
        assertThat(info).contains("Package: cim", "Architecture: all", "Depends: default-jre-headless");
        String listing = run(dir, List.of("dpkg-deb", "--contents", DEB.toString()), Map.of());
        for (String entry : listing.lines().toList()) {
            assertThat(entry).as(entry).matches("[-d]rw.r-.r-. root/root .*");
        }
        List<String> contents = listing.lines().map(line -> line.substring(line.indexOf("./") + 1)).toList();
        assertThat(contents).contains("/usr/bin/cim", "/usr/lib/cim/cim.jar", "/usr/share/man/man1/cim.1",
                "/usr/share/man/man1/cim-codes-assign.1", "/usr/share/bash-completion/completions/cim",
                "/usr/share/fish/vendor_completions.d/cim.fish", "/usr/share/cim/samples/nightly/cim-nightly.sh");
        assertThat(info.lines().filter(l -> l.contains("Version:")).findFirst().orElseThrow())
                .doesNotContain("-SNAPSHOT");

        Path root = dir.resolve("root");
        run(dir, List.of("dpkg-deb", "-x", DEB.toString(), root.toString()), Map.of());
        Path cim = root.resolve("usr/bin/cim");
        assertThat(Files.isExecutable(cim)).isTrue();
        works(dir, cim, root.resolve("usr/share/man/man1/cim.1"));
        // man finds the page by its name where the package puts it
        assertThat(run(dir, List.of("man", "-M", root.resolve("usr/share/man").toString(), "-P", "cat", "cim-codes-assign"),
                Map.of("MANWIDTH", "100"))).contains("codes assign");
    }

    /** --version, the demo on a fresh home, and the man page. */
    private static void works(Path dir, Path cim, Path manPage) throws Exception {
        String version = run(dir, List.of(cim.toString(), "--version"), Map.of());
        assertThat(version).startsWith("cim ").contains("database schema ");
        Path home = Files.createTempDirectory(dir, "home");
        Map<String, String> env = Map.of("CIM_HOME", home.resolve("cim").toString(), "XDG_CONFIG_HOME",
                home.resolve("config").toString(), "HOME", home.toString(), "XDG_CACHE_HOME",
                home.resolve("cache").toString());
        String demo = run(dir, List.of(cim.toString(), "demo"), env);
        assertThat(demo).contains("codes assign", "quality check");
        String man = run(dir, List.of("man", "-l", "-P", "cat", manPage.toString()), Map.of("MANWIDTH", "100"));
        assertThat(man).contains("cim", "SYNOPSIS");
    }

    /** Runs a command to its end; its output (stdout and stderr), and it must exit 0. */
    private static String run(Path dir, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        return run(dir, command, env, true);
    }

    /** What a command prints on stdout (it must exit 0); its stderr is dropped. */
    private static String stdout(Path dir, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        return run(dir, command, env, false);
    }

    private static String run(Path dir, List<String> command, Map<String, String> env, boolean withStderr)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile());
        if (withStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("CIM_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
