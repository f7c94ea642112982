package cim.core.export;

import cim.core.Scope;
import cim.core.protect.MaskProfile;

import java.nio.file.Path;
import java.util.List;

/**
 * What to export: golden records ({@code customer}) or the channels' current source records ({@code source}),
 * as CSV or JSON Lines, filtered by customer type and codes, masked by a profile ({@code none} needs a reason), for a
 * purpose that leaves out the customers it may not use ({@link Purpose}; default {@code service}).
 */
public record ExportOptions(Scope scope, Format format, Path out, String customerType, List<String> customers,
                            MaskProfile mask, String reason, String outName, String branch, Purpose purpose) {
    public ExportOptions {
        purpose = purpose == null ? Purpose.SERVICE : purpose;
    }

    public ExportOptions(Scope scope, Format format, Path out, String customerType, List<String> customers,
                         MaskProfile mask, String reason, String outName) {
        this(scope, format, out, customerType, customers, mask, reason, outName, null, Purpose.SERVICE);
    }

    /** @param out the file written; its name is the one audited */
    public ExportOptions(Scope scope, Format format, Path out, String customerType, List<String> customers,
                         MaskProfile mask, String reason) {
        this(scope, format, out, customerType, customers, mask, reason, null);
    }

    /** The output as the audit trail and the summary name it: "-" for standard output, else the file. */
    public String outName() {
        return outName != null ? outName : out.toString();
    }

    /** The record sets that can be exported. */

    /** The file formats. */
    public enum Format { CSV, JSONL }

    /** The filter in words, for the audit trail. */
    public String filter() {
        StringBuilder filter = new StringBuilder("scope=" + scope.name().toLowerCase(java.util.Locale.ROOT));
        if (customerType != null) {
            filter.append(" type=").append(customerType);
        }
        if (customers != null && !customers.isEmpty()) {
            filter.append(" customers=").append(String.join(",", customers));
        }
        if (branch != null) {
            filter.append(" branch=").append(branch);
        }
        return filter.toString();
    }
}
