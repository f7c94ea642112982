package cim.cli.docs;

import cim.cli.ExitCode;
import cim.core.config.Setting;
import cim.core.db.Credentials;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes one troff man page (section 1) for a command, from the same model picocli prints --help from, so the
 * two cannot disagree. {@code man ./man/cim.1} renders it.
 */
final class ManPage {
    private final CommandSpec spec;
    private final StringBuilder page = new StringBuilder();

    private ManPage(CommandSpec spec) {
        this.spec = spec;
    }

    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    static String of(CommandSpec spec) {
        return new ManPage(spec).render();
    }

    private String render() {
        String name = spec.qualifiedName("-");
        line(".TH " + escape(name.toUpperCase(java.util.Locale.ROOT)) + " 1 \"\" \"cim\" \"cim manual\"");
        section("NAME");
        line(escape(name) + " \\- " + escape(text(spec.usageMessage().header())));
        synopsis();
        section("DESCRIPTION");
        paragraphs(spec.usageMessage().header());
        paragraphs(spec.usageMessage().description());
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        if (!positionals.isEmpty()) {
            section("ARGUMENTS");
            positionals.forEach(p -> item("\\fI" + escape(p.paramLabel()) + "\\fR", p.description()));
        }
        List<OptionSpec> own = spec.options().stream().filter(o -> o.group() == null).toList();
        List<OptionSpec> global = spec.options().stream().filter(o -> o.group() != null).toList();
        section("OPTIONS");
        own.forEach(o -> item(optionNames(o), o.description()));
        section("GLOBAL OPTIONS");
        line("Every command takes these. Each can also be set by its environment variable or config-file key; "
                + "a flag beats the environment, which beats the config file, which beats the default.");
        global.forEach(o -> item(optionNames(o), o.description()));
        commands();
        exitStatus();
        if (spec.parent() == null) {
            environment();
            files();
            examples();
        }
        seeAlso();
        return page.toString();
    }

    private void synopsis() {
        section("SYNOPSIS");
        StringBuilder synopsis = new StringBuilder(".B ").append(escape(spec.qualifiedName()));
        line(synopsis.toString());
        StringBuilder rest = new StringBuilder("[\\fIOPTIONS\\fR]");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            rest.append(' ').append(p.arity().min > 0 ? "\\fI" + escape(p.paramLabel()) + "\\fR"
                    : "[\\fI" + escape(p.paramLabel()) + "\\fR]");
        }
        if (!spec.subcommands().isEmpty()) {
            rest.append(" \\fICOMMAND\\fR");
        }
        line(rest.toString());
    }

    private void commands() {
        if (spec.subcommands().isEmpty()) {
            return;
        }
        section("COMMANDS");
        spec.subcommands().forEach((name, sub) -> {
            CommandSpec subSpec = sub.getCommandSpec();
            item("\\fB" + escape(name) + "\\fR", new String[] {text(subSpec.usageMessage().header())
                    + " See " + subSpec.qualifiedName("-") + "(1)."});
        });
    }

    private void exitStatus() {
        section("EXIT STATUS");
        for (ExitCode code : ExitCode.values()) {
            item("\\fB" + code.code() + "\\fR", new String[] {code.meaning()});
        }
    }

    private void environment() {
        section("ENVIRONMENT");
        for (Setting setting : Setting.values()) {
            item("\\fB" + escape(setting.envVar()) + "\\fR", new String[] {"as " + setting.flag()});
        }
        item("\\fB" + Credentials.PASSWORD_ENV + "\\fR", new String[] {"the database password itself, a fallback "
                + "for CI where no password file or ~/.pgpass can be used"});
        item("\\fBXDG_CONFIG_HOME\\fR, \\fBXDG_DATA_HOME\\fR", new String[] {"where the default config file and "
                + "cim home are"});
        item("\\fBJAVA_OPTS\\fR", new String[] {"options for the Java virtual machine, used by the cim launcher"});
        item("\\fBCIM_SHARE_CLASSES\\fR", new String[] {"no (or false, off, 0): the installed launcher makes "
                + "and maps no class-data archive (see FILES)"});
        item("\\fBXDG_CACHE_HOME\\fR", new String[] {"where the installed launcher keeps its class-data archive"});
    }

    private void files() {
        section("FILES");
        item("\\fI${XDG_CONFIG_HOME:\\-~/.config}/cim/cim.conf\\fR", new String[] {"the default config file: "
                + "key = value lines, # comments; keys as listed under GLOBAL OPTIONS"});
        item("\\fI${XDG_DATA_HOME:\\-~/.local/share}/cim/cim.mv.db\\fR", new String[] {"the embedded database"});
        item("\\fI~/.pgpass\\fR", new String[] {"PostgreSQL passwords, read by the driver"});
        item("\\fI${XDG_CACHE_HOME:\\-~/.cache}/cim/cim\\-*.jsa\\fR", new String[] {"the installed launcher's "
                + "class-data archive (some 70 MB), which starts a run up to twice as fast: made by the first run "
                + "that is not cim --version, for each cim and Java (that run takes some seconds more), where the "
                + "cache and cim's directory in it are the user's own (not links; mode 700); may be deleted at any "
                + "time. A failed training leaves cim-*.failed there: delete it to try again"});
    }

    private void examples() {
        section("EXAMPLES");
        line(".nf");
        for (String footer : spec.usageMessage().footer()) {
            line(escape(text(footer)));
        }
        line(".fi");
    }

    private void seeAlso() {
        section("SEE ALSO");
        List<String> related = new java.util.ArrayList<>();
        if (spec.parent() != null) {
            related.add(spec.parent().qualifiedName("-") + "(1)");
        }
        spec.subcommands().values().forEach(c -> related.add(c.getCommandSpec().qualifiedName("-") + "(1)"));
        related.add("the README.md of cim");
        line(escape(String.join(", ", related)));
    }

    private static String optionNames(OptionSpec option) {
        String names = java.util.Arrays.stream(option.names()).map(n -> "\\fB" + escape(n) + "\\fR")
                .collect(Collectors.joining(", "));
        return option.arity().max > 0 ? names + " \\fI" + escape(option.paramLabel()) + "\\fR" : names;
    }

    private void item(String tag, String[] description) {
        line(".TP");
        line(tag);
        line(escape(java.util.Arrays.stream(description).map(ManPage::text).collect(Collectors.joining(" "))));
    }

    private void paragraphs(String[] lines) {
        for (String paragraph : text(String.join("\n", lines)).split("\n\\s*\n")) {
            if (!paragraph.isBlank()) {
                line(".PP");
                line(escape(paragraph.replace('\n', ' ').strip()));
            }
        }
    }

    private void section(String title) {
        line(".SH " + title);
    }

    private void line(String text) {
        page.append(text).append('\n');
    }

    /** Help text as printed: picocli's format directives resolved. */
    private static String text(String raw) {
        return raw.replace("%n", "\n").replace("%%", "%");
    }

    private static String text(String[] raw) {
        return text(String.join(" ", raw));
    }

    /** Troff-safe text: backslashes and hyphens escaped, no line starting with a control character. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
