package cim.cli.audit;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a person writes it: {@code 2026-11-01}, {@code 2026-11-01T08:30} (local time),
 * {@code 2026-11-01T08:30:00+08:00}, or a span back from now: {@code 30m}, {@code 12h}, {@code 7d}.
 */
public final class TimeConverter implements ITypeConverter<Instant> {
    private static final Pattern AGO = Pattern.compile("(\\d{1,6})([mhd])");

    @Override
    public Instant convert(String value) {
        Matcher ago = AGO.matcher(value);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration span = switch (ago.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(span);
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a time: use 2026-11-01, 2026-11-01T08:30, "
                    + "2026-11-01T08:30:00+08:00, or 30m / 12h / 7d ago");
        }
    }
}
