package cim.cli;

import cim.cli.docs.Docs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed completions/ and man/ must be what the command tree generates now. Regenerate with:
 * mvn -pl cli test -Dtest=DocsTest -Dcim.approve=true
 */
class DocsTest {
    private static final Path REPOSITORY = Path.of("..");

    @Test
    void completionsAndManPagesAreUpToDate() throws IOException {
        Map<String, String> generated = Docs.generate(Cli.create(Map.of(), Map.of()));
        if (HelpGoldenTest.APPROVE) {
            for (String dir : List.of("man", "completions")) {
                deleteFiles(REPOSITORY.resolve(dir));
            }
            HelpGoldenTest.approve(REPOSITORY, generated);
        }
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : generated.entrySet()) {
            Path path = REPOSITORY.resolve(file.getKey());
            if (!Files.exists(path) || !Files.readString(path, StandardCharsets.UTF_8).equals(file.getValue())) {
                stale.add(file.getKey());
            }
        }
        assertThat(stale).as("stale generated files; regenerate with "
                + "mvn -pl cli test -Dtest=DocsTest -Dcim.approve=true").isEmpty();
        for (String dir : List.of("man", "completions")) {
            try (Stream<Path> files = Files.list(REPOSITORY.resolve(dir))) {
                assertThat(files.map(p -> dir + "/" + p.getFileName())).as("files of removed commands")
                        .allMatch(generated::containsKey);
            }
        }
        assertThat(generated).containsKeys("man/cim.1", "man/cim-db-migrate.1", "man/cim-audit-verify.1");
        assertThat(generated.get("completions/cim.bash")).contains("complete -F");
    }

    private static void deleteFiles(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
