package cim.core.protect;

/** Quarantined raw rows may hold tier-1 values anywhere in them, so each is sealed whole under this context. */
public final class Quarantined {
    public static final String CONTEXT = "quarantine.raw_row";

    private Quarantined() {
    }
}
