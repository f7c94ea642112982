package cim.cli.codes;

import picocli.CommandLine.Command;

/** `cim codes`: customer codes, matching, merging and the steward's tools (Art. 11 (2)). */
@Command(name = CodesCommand.NAME, sortOptions = false,
        header = "Assign customer codes, merge duplicates and steer the matcher (客户代码赋予, 归并).",
        description = {"Every source record is linked to exactly one customer code (P or G, nine digits, an "
                + "ISO 7064 check character). 'assign' links new records: the same valid ID number, credit code or "
                + "organisation code links at once; otherwise a score over name (by characters and by sound: "
                + "homophones, traditional forms), birth date, gender, mobile, e-mail, landline and address. At or "
                + "above the link threshold the record joins the customer; between the thresholds it gets its own "
                + "code and a review item; below, its own code. Different valid ID numbers are never linked by the "
                + "matcher. Each customer's golden record takes, per field, a valid value before an invalid one, "
                + "then the more trusted channel (the policy's order), then the most recent. A record that fails the "
                + "policy's admission rules gets no code: 'pending' lists it with the reasons. Relations a record "
                + "states (spouse, employer, sales agent …) resolve to customer codes: 'show' lists a customer's, "
                + "'related' the customers that name it.",
            "",
            "The customer's rights (PIPL Art. 44-47): 'find' looks a customer up by an identifier or name read from "
                + "standard input; 'correct' sets a steward's value that survivorship keeps; 'erase' removes a "
                + "customer's personal data unless a retention rule applies, or with --restrict keeps it for that "
                + "purpose only; 'report' writes everything held about a customer and who used it and why.",
            "",
            "A merged code stays valid and redirects to the survivor; every link is kept as history. Steward "
                + "actions (merge, unmerge, review decisions) are audited, and the matcher never undoes them."},
        subcommands = {CodesAssignCommand.class, CodesShowCommand.class, CodesXrefCommand.class,
            CodesMergeCommand.class, CodesUnmergeCommand.class, CodesReviewCommand.class,
            CodesPendingCommand.class, CodesRelatedCommand.class, CodesFindCommand.class, CodesCorrectCommand.class,
            CodesEraseCommand.class, CodesReportCommand.class},
        commandListHeading = "%nCommands:%n")
public final class CodesCommand {
    public static final String NAME = "codes";
}
