package cim.core.quality;

import java.util.Locale;
import java.util.Optional;

/**
 * How many failing records a rule tolerates: a count ({@code 10}) or a percentage of the records checked
 * ({@code 0.5%}). A threshold of 0 (or 0 %) fails on one bad record.
 */
public record Threshold(double value, boolean percent) {
    public static final Threshold NONE = new Threshold(0, false);

    /** Parses "10" or "0.5%"; empty when the text is neither. */
    public static Optional<Threshold> parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        boolean percent = t.endsWith("%");
        if (percent) {
            t = t.substring(0, t.length() - 1).strip();
        }
        try {
            double value = Double.parseDouble(t);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value) || (percent && value > 100)) {
                return Optional.empty();
            }
            return Optional.of(new Threshold(value, percent));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code failed} of {@code checked} is more than the threshold allows. */
    public boolean breached(long failed, long checked) {
        if (failed == 0) {
            return false;
        }
        return percent ? failed * 100.0 / Math.max(1, checked) > value : failed > value;
    }

    @Override
    public String toString() {
        String number = value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
        return percent ? number + "%" : number;
    }
}
