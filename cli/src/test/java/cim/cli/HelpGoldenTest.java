package cim.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's --help is an approved golden file in src/test/resources/help. After an intended change, approve
 * the new text with: mvn -pl cli test -Dtest=HelpGoldenTest -Dcim.approve=true, and review the diff.
 */
class HelpGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/help");
    static final boolean APPROVE = Boolean.getBoolean("cim.approve");

    static Map<String, String> helpTexts() {
        Map<String, String> texts = new TreeMap<>();
        collect(Cli.create(Map.of(), Map.of()), texts);
        return texts;
    }

    private static void collect(CommandLine cmd, Map<String, String> texts) {
        texts.put(cmd.getCommandSpec().qualifiedName("-") + ".txt", cmd.getUsageMessage(Help.Ansi.OFF));
        cmd.getSubcommands().values().forEach(sub -> collect(sub, texts));
    }

    @Test
    void everyCommandsHelpMatchesItsApprovedFile() throws IOException {
        Map<String, String> texts = helpTexts();
        if (APPROVE) {
            approve(GOLDEN, texts);
        }
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> text : texts.entrySet()) {
            Path file = GOLDEN.resolve(text.getKey());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text.getValue())) {
                mismatches.add(text.getKey());
            }
        }
        assertThat(mismatches).as("help differs from the approved files; review, then approve with "
                + "-Dcim.approve=true").isEmpty();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("golden files of removed commands")
                    .allMatch(texts::containsKey);
        }
    }

    static void approve(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
