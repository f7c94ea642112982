package cim.core.validate;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates as channels write them: 1980-01-02, 19800102, 1980/1/2, 1980.1.2, 1980年1月2日. */
public final class Dates {
    private static final Pattern SEPARATED = Pattern.compile("(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?");
    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");

    private Dates() {
    }

    /** The date, or empty when the text is no date of a known form or no real day (1980-02-30). */
    public static Optional<LocalDate> parse(String text) {
        Matcher m = SEPARATED.matcher(text.strip());
        if (!m.matches()) {
            m = COMPACT.matcher(text.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Why a birth date is not one: not a date, in the future, or before 1900. */
    public static Optional<Problem> checkBirthDate(String text, LocalDate today) {
        Optional<LocalDate> date = parse(text);
        if (date.isEmpty()) {
            return Optional.of(Problem.of(Problem.Kind.DATE, "'" + text + "' is not a real date (use 1980-01-02)"));
        }
        if (date.get().isAfter(today)) {
            return Optional.of(Problem.of(Problem.Kind.DATE, "the birth date is in the future"));
        }
        if (date.get().getYear() < 1900) {
            return Optional.of(Problem.of(Problem.Kind.DATE, "the birth date is before 1900"));
        }
        return Optional.empty();
    }
}
