package cim.core.quality;

import java.util.Collection;
import java.util.Locale;

/** How a rule, or a whole run, came out; ordered from best to worst. Stored and shown in lower case. */
public enum RuleStatus {
    PASS, WARN, FAIL;

    /** The worst of the statuses (a run fails when one rule fails); pass when there are none. */
    public static RuleStatus worst(Collection<RuleStatus> statuses) {
        return statuses.stream().max(Enum::compareTo).orElse(PASS);
    }

    /** As stored and shown: pass, warn, fail. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }
}
