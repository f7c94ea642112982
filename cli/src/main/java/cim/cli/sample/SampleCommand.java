package cim.cli.sample;

import picocli.CommandLine.Command;

/** `cim sample`: synthetic data for demos, tests and benchmarks. */
@Command(name = SampleCommand.NAME, sortOptions = false,
        header = "Generate synthetic channel records with known duplicates and planted defects.",
        subcommands = {SampleGenerateCommand.class},
        commandListHeading = "%nCommands:%n")
public final class SampleCommand {
    public static final String NAME = "sample";
}
