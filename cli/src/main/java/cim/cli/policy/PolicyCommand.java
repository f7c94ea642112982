package cim.cli.policy;

import picocli.CommandLine.Command;

/** `cim policy`: the company's rules for the customer file (Art. 11.2), versioned in the database. */
@Command(name = PolicyCommand.NAME, sortOptions = false,
        header = "Show and set the rules of the customer file: admission, merging and cleansing (Art. 11.2).",
        description = {"The policy is one YAML document, versioned in the database: the admission rules (what a "
                + "record needs, per customer type, before 'codes assign' gives it a customer code), the merging "
                + "rules (the match thresholds and the order in which channels are trusted when they disagree) and "
                + "the cleansing rules (what an import corrects: blanks in names, gender, address noise). "
                + "A database starts with the built-in default (version 0); 'cim policy show --yaml' prints it as "
                + "a starting point.",
            "",
            "Each version is audited (policy.set) and signed with the keyset: a policy changed outside cim stops "
                + "every command that applies it (exit 77) until an admin sets one again."},
        subcommands = {PolicyShowCommand.class, PolicySetCommand.class, PolicyHistoryCommand.class},
        commandListHeading = "%nCommands:%n")
public final class PolicyCommand {
    public static final String NAME = "policy";
}
