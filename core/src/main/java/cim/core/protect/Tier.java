package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;

/** The three importance tiers of Art. 9: 1 serious harm if leaked, 2 some harm, 3 slight. */
public enum Tier {
    ONE(1), TWO(2), THREE(3);

    private final int level;

    Tier(int level) {
        this.level = level;
    }

    public int level() {
        return level;
    }

    /** Tier-1 values are encrypted at rest; the other tiers are stored in clear. */
    public boolean encrypted() {
        return this == ONE;
    }

    public static Tier of(int level) {
        for (Tier tier : values()) {
            if (tier.level == level) {
                return tier;
            }
        }
        throw new CimException(Failure.USAGE, "there is no tier " + level, "use 1, 2 or 3");
    }

    @Override
    public String toString() {
        return String.valueOf(level);
    }
}
