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

    /** A time of day: 10:00, 9:05, 10:00:30 (a fraction of a second is dropped). */
    private static final Pattern TIME_OF_DAY = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?");

    /**
     * A time as channels write it: a date in any form {@link #parse} reads (the start of that day), or a date and a
     * time of day ({@code 2026-11-01 10:00}, {@code 2026/11/1 9:05}, {@code 2026年11月1日 10:00:30},
     * {@code 2026-11-01T10:00:00}) in {@code zone}, or ISO with an offset ({@code 2026-11-01T10:00:00+08:00}). Empty
     * when it is none of them, or before 1900.
     */
    public static Optional<java.time.OffsetDateTime> parseTime(String text, java.time.ZoneId zone) {
        String value = text.strip();
        try {
            return plausible(java.time.OffsetDateTime.parse(value));
        } catch (DateTimeException e) {
            // no offset: a date, and perhaps a time of day, in the zone
        }
        int split = -1;
        for (int i = 8; i < value.length() && split < 0; i++) {
            if (value.charAt(i) == ' ' || value.charAt(i) == 'T') {
                split = i;
            }
        }
        Optional<LocalDate> day = parse(split < 0 ? value : value.substring(0, split));
        if (day.isEmpty()) {
            return Optional.empty();
        }
        java.time.LocalTime time = java.time.LocalTime.MIDNIGHT;
        if (split >= 0) {
            Matcher m = TIME_OF_DAY.matcher(value.substring(split + 1).strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                time = java.time.LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return plausible(day.get().atTime(time).atZone(zone).toOffsetDateTime());
    }

    private static Optional<java.time.OffsetDateTime> plausible(java.time.OffsetDateTime time) {
        return time.getYear() < 1900 ? Optional.empty() : Optional.of(time);
    }

    /** The date, or empty when the text is no date of a known form or no real day (1980-02-30). */
    public static Optional<LocalDate> parse(String text) {
        if (isIso(text)) {
            return date(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10));
        }
        if (text.length() == 8) {
            Optional<LocalDate> compact = compact(text, 0);
            if (compact.isPresent()) {
                return compact;
            }
        }
        Matcher m = SEPARATED.matcher(text.strip());
        if (!m.matches()) {
            m = COMPACT.matcher(text.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        return date(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /**
     * The date of eight ASCII digits (19800102) from {@code from}, read without a regular expression (the birth date in
     * every resident ID number is one); empty when they are not eight ASCII digits, or no real day.
     */
    static Optional<LocalDate> compact(String text, int from) {
        if (text.length() < from + 8 || !Contacts.isDigits(text, from, from + 8)) {
            return Optional.empty();
        }
        return date(number(text, from, from + 4), number(text, from + 4, from + 6), number(text, from + 6, from + 8));
    }

    private static Optional<LocalDate> date(int year, int month, int day) {
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** 1980-01-02 exactly, the form every stored date has: read without a regular expression (it is the most read). */
    private static boolean isIso(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + text.charAt(i) - '0';
        }
        return n;
    }

    /** Why a birth date is not one: not a date, in the future, or before 1900. */
    public static Optional<Problem> checkBirthDate(String text, LocalDate today) {
        Optional<LocalDate> date = parse(text);
        if (date.isEmpty()) {
            return Optional.of(Problem.of(Problem.Kind.DATE, "not a real date (use 1980-01-02)"));
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
