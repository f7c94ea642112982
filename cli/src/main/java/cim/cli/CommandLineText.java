package cim.cli;

import cim.core.db.DatabaseTarget;

import java.util.List;
import java.util.stream.Collectors;

/** The command line as it may be echoed or audited: passwords in URLs masked, quoting where needed. */
final class CommandLineText {
    private CommandLineText() {
    }

    static String masked(List<String> args) {
        return "cim " + args.stream().map(DatabaseTarget::mask).map(CommandLineText::quote)
                .collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"\\$`;&|<>()".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
