package cim.cli.docs;

import cim.cli.CompletionCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generated files that ship in the repository, made from the command tree: completion scripts in
 * completions/ and man pages in man/. A test fails when the committed files differ from what this generates.
 */
public final class Docs {
    private Docs() {
    }

    /** Relative path (from the repository root) to content, for every generated file. */
    public static Map<String, String> generate(CommandLine root) {
        Map<String, String> files = new TreeMap<>();
        files.put("completions/cim.bash", CompletionCommand.script(root, CompletionCommand.Shell.bash));
        files.put("completions/cim.zsh", CompletionCommand.script(root, CompletionCommand.Shell.zsh));
        files.put("completions/cim.fish", CompletionCommand.script(root, CompletionCommand.Shell.fish));
        addManPages(root.getCommandSpec(), files);
        return files;
    }

    private static void addManPages(CommandSpec spec, Map<String, String> files) {
        if (spec.usageMessage().hidden()) {
            return;
        }
        files.put("man/" + ManPage.fileName(spec), ManPage.of(spec));
        spec.subcommands().values().forEach(sub -> addManPages(sub.getCommandSpec(), files));
    }

    /** Writes every generated file under the repository root. */
    public static void write(CommandLine root, Path repository) throws IOException {
        for (Map.Entry<String, String> file : generate(root).entrySet()) {
            Path target = repository.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
