package cim.cli.tiers;

import picocli.CommandLine.Command;

/** `cim tiers`: the information-tier registry (Art. 7–10). */
@Command(name = TiersCommand.NAME, sortOptions = false,
        header = "List and reclassify the information tiers that decide how each field is protected.",
        description = {"Every field of customer information has a category (the ten of Art. 7), an origin "
                + "(original or derived, Art. 8) and a tier (Art. 9). Tier 1 is encrypted at rest, with a blind "
                + "index where the field is searched, and masked on display and export; tier 2 is stored in clear "
                + "and masked with --mask tier2; tier 3 is clear. Art. 10: the classification can be adjusted "
                + "('cim tiers set'), and stored values are re-protected to match."},
        subcommands = {TiersListCommand.class, TiersSetCommand.class, TiersHistoryCommand.class,
            TiersVerifyCommand.class},
        commandListHeading = "%nCommands:%n")
public final class TiersCommand {
    public static final String NAME = "tiers";
}
