package cim.cli;

import cim.core.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The global options, built from {@link Setting} so that each is declared once: the flag, its environment variable
 * and config key all come from the setting, and so does the help text. Every command has them.
 */
final class GlobalOptions {
    private GlobalOptions() {
    }

    /**
     * Adds the options to every command of the tree. A command that gives a name a meaning of its own keeps it:
     * {@code audit log --actor} filters by actor, and does not act as anyone since it changes nothing.
     */
    static void addTo(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%nGlobal options:%n").exclusive(false)
                .validate(false).multiplicity("0..1");
        for (Setting setting : Setting.values()) {
            if (spec.findOption(setting.flag()) == null) {
                group.addArg(option(setting));
            }
        }
        spec.addArgGroup(group.build());
        spec.usageMessage().abbreviateSynopsis(true);
        command.getSubcommands().values().forEach(GlobalOptions::addTo);
    }

    private static OptionSpec option(Setting setting) {
        List<String> names = new ArrayList<>();
        setting.shortFlag().ifPresent(names::add);
        names.add(setting.flag());
        OptionSpec.Builder builder = OptionSpec.builder(names.toArray(String[]::new))
                .description(description(setting))
                .userObject(setting)
                .hasInitialValue(false);
        if (setting.kind() == Setting.Kind.FLAG) {
            builder.arity("0").type(boolean.class);
        } else {
            builder.arity("1").type(String.class).paramLabel(setting.paramLabel());
        }
        if (setting == Setting.OUTPUT) {
            builder.completionCandidates(Arrays.asList(Setting.OUTPUT_FORMATS));
        }
        return builder.build();
    }

    private static String[] description(Setting setting) {
        StringBuilder where = new StringBuilder("env ").append(setting.envVar());
        if (setting.key() != null) {
            where.append(", key ").append(setting.key());
        }
        if (setting.defaultValue() != null && setting.kind() != Setting.Kind.FLAG) {
            where.append(", default ").append(setting.defaultValue());
        }
        // picocli would expand ${...} itself; the descriptions mean it literally
        return new String[] {setting.description().replace("${", "$${"), "(" + where + ")"};
    }

    /** The settings given as flags anywhere on the command line; a flag after a subcommand wins. */
    static Map<Setting, String> given(ParseResult parseResult) {
        Map<Setting, String> given = new EnumMap<>(Setting.class);
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            for (Setting setting : Setting.values()) {
                OptionSpec option = level.matchedOption(setting.flag());
                if (option != null && option.userObject() == setting) {
                    given.put(setting, String.valueOf((Object) option.getValue()));
                }
            }
        }
        return given;
    }
}
