package cim.cli.keys;

import picocli.CommandLine.Command;

/** `cim keys`: the keyset that protects tier-1 values. */
@Command(name = KeysCommand.NAME, sortOptions = false,
        header = "Create, inspect and rotate the keyset that protects tier-1 values.",
        description = {"A keyset is a Google Tink file (mode 0600) with an AES-256-GCM encryption keyset and an "
                + "HMAC-SHA256 blind-index key. The database records the ids of its keys, so that a wrong or stale "
                + "keyset is refused (exit 77) instead of producing garbage. The embedded database keeps its keyset "
                + "in the cim home and makes it on first use; a central database needs --keyset.",
            "",
            "Keep a copy of the keyset somewhere safe: without it tier-1 values cannot be read."},
        subcommands = {KeysInitCommand.class, KeysStatusCommand.class, KeysRotateCommand.class},
        commandListHeading = "%nCommands:%n")
public final class KeysCommand {
    public static final String NAME = "keys";
}
