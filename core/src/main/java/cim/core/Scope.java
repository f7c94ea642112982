package cim.core;

import java.util.Locale;

/** What a check or an export reads: the golden records (one per customer), or the channels' source records. */
public enum Scope {
    CUSTOMER, SOURCE;

    /** The scope a user named (customer or source, any case); null when the text names none. */
    public static Scope parse(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "customer" -> CUSTOMER;
            case "source" -> SOURCE;
            default -> null;
        };
    }
}
