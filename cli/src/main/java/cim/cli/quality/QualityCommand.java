package cim.cli.quality;

import picocli.CommandLine.Command;

/** `cim quality`: data-quality checks, their rules and their history (Art. 1, 3, 4.3). */
@Command(name = QualityCommand.NAME, sortOptions = false,
        header = "Check data quality: completeness, validity, consistency, uniqueness, timeliness.",
        description = {"'check' runs the rules over golden records or the channels' source records and exits 1 when "
                + "a fail-level rule is breached, so it can gate a CI pipeline or a cron job; 'history' shows the "
                + "scores of past runs per rule and channel; 'rules' lists the built-in rules and their defaults."},
        subcommands = {QualityCheckCommand.class, QualityHistoryCommand.class, QualityRulesCommand.class},
        commandListHeading = "%nCommands:%n")
public final class QualityCommand {
    public static final String NAME = "quality";
}
