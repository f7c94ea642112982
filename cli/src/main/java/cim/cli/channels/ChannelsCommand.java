package cim.cli.channels;

import picocli.CommandLine.Command;

/** `cim channels`: the channels that collect customer information, and who answers for each (Art. 4.3). */
@Command(name = ChannelsCommand.NAME, sortOptions = false,
        header = "Register the channels that collect customer information, and the department answerable for each.",
        description = {"Art. 4.3: whoever collects customer information is responsible for it. Every channel "
                + "(direct sales, agents, telesales, web, WeChat, bancassurance, brokers, connected cars …) is "
                + "registered with a code, a name and its owner, the department answerable for what it collects. "
                + "An import into a channel that is not registered is refused (exit 65), and a row naming one in "
                + "source_system goes to quarantine. Quality results per channel name its owner.",
            "",
            "Adding and changing channels needs the admin profile on PostgreSQL, and is audited (channels.add, "
                + "channels.set)."},
        subcommands = {ChannelsAddCommand.class, ChannelsListCommand.class, ChannelsSetCommand.class},
        commandListHeading = "%nCommands:%n")
public final class ChannelsCommand {
    public static final String NAME = "channels";
}
