package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;

/** --max-rejects: a count ({@code 100}) or a share of the rows read ({@code 0.5%}); exceeding it fails the batch. */
public record RejectLimit(double value, boolean percent) {
    public static final RejectLimit NONE = new RejectLimit(Double.MAX_VALUE, false);

    public static RejectLimit parse(String text) {
        if (text == null) {
            return NONE;
        }
        String t = text.strip();
        try {
            boolean percent = t.endsWith("%");
            double value = Double.parseDouble(percent ? t.substring(0, t.length() - 1) : t);
            if (value < 0 || (!percent && value != Math.floor(value)) || (percent && value > 100)) {
                throw new NumberFormatException();
            }
            return new RejectLimit(value, percent);
        } catch (NumberFormatException e) {
            throw new CimException(Failure.USAGE, "--max-rejects: '" + text + "' is neither a count nor a percentage",
                    "use a whole number (100) or a percentage (0.5%)");
        }
    }

    public boolean exceeded(long rejected, long read) {
        return percent ? read > 0 && rejected * 100.0 / read > value : rejected > value;
    }

    @Override
    public String toString() {
        String number = value == Math.floor(value) ? String.valueOf((long) value) : String.valueOf(value);
        return percent ? number + "%" : number;
    }
}
