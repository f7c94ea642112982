package cim.core.quality;

import java.util.Locale;

/** The dimensions of data quality a rule measures. */
public enum Dimension {
    COMPLETENESS, VALIDITY, CONSISTENCY, UNIQUENESS, TIMELINESS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
