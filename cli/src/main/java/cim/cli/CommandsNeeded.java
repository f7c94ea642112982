package cim.cli;

import cim.core.config.Setting;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * Which of the commands a run's arguments need built: the one they name (with its own subcommands), none when they
 * only ask for the version, and all of them otherwise. "Otherwise" covers help on cim itself (it lists them all),
 * {@code completion} (its scripts cover the whole tree), no command or an unknown one (picocli's error names the
 * choices), an option's value that names a command (picocli refuses it), an argument file, and any argument this
 * cannot read for sure: a choice it is unsure of is always the whole tree, so that
 * the run parses exactly as it would with every command built.
 */
final class CommandsNeeded {
    private CommandsNeeded() {
    }

    static List<Class<?>> by(String[] args) {
        boolean version = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                // an argument file, which picocli expands in place
                return CimCommand.COMMANDS;
            }
            if (!arg.startsWith("-")) {
                // help asked before the command is cim's own, which lists them all
                return help ? CimCommand.COMMANDS : named(arg);
            }
            switch (arg) {
                case "-V", "--version" -> version = true;
                case "-h", "--help" -> help = true;
                default -> {
                    Setting setting = globalOption(arg);
                    if (setting == null) {
                        return CimCommand.COMMANDS;
                    }
                    if (setting.kind() != Setting.Kind.FLAG && !arg.contains("=")) {
                        i++;
                        // picocli refuses a command's name as an option's value: only the whole tree knows them all
                        if (i < args.length && (args[i].startsWith("@") || isCommand(args[i]))) {
                            return CimCommand.COMMANDS;
                        }
                    }
                }
            }
        }
        return version && !help ? List.of() : CimCommand.COMMANDS;
    }

    /** The command of this name or alias, if it needs none of the others. */
    private static List<Class<?>> named(String name) {
        Class<?> command = command(name);
        return command == null || command == CompletionCommand.class ? CimCommand.COMMANDS : List.of(command);
    }

    private static boolean isCommand(String name) {
        return command(name) != null;
    }

    private static Class<?> command(String name) {
        for (Class<?> command : CimCommand.COMMANDS) {
            Command annotation = command.getAnnotation(Command.class);
            if (annotation.name().equals(name) || List.of(annotation.aliases()).contains(name)) {
                return command;
            }
        }
        return null;
    }

    /** The global option this argument is ({@code --db URL}, {@code --db=URL}, {@code -q}), or null. */
    private static Setting globalOption(String arg) {
        String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        for (Setting setting : Setting.values()) {
            if (name.equals(setting.flag()) || name.equals(setting.shortFlag().orElse(null))) {
                return setting;
            }
        }
        return null;
    }
}
