package cim.core.quality;

import java.util.Locale;
import java.util.Optional;

/** What a breached rule does to the run: a warning is printed; a failure makes the check exit 1. */
public enum Severity {
    WARN, FAIL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> parse(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "warn", "warning" -> Optional.of(WARN);
            case "fail", "error" -> Optional.of(FAIL);
            default -> Optional.empty();
        };
    }
}
