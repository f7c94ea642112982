package cim.core.quality;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checked, failed and waived counts per rule of a run (or of one channel's records), and the failing keys it names:
 * the smallest ones, so that a run names the same keys whichever order its records were read in, on one machine or
 * in partitions ({@link #plus}).
 */
final class RuleTally implements Serializable {
    private static final long serialVersionUID = 1L;
    /** How many failing keys a rule's outcome names. */
    private static final int SAMPLES = 5;

    final long[] checked;
    final long[] failed;
    final long[] waived;
    final List<List<String>> samples = new ArrayList<>();

    RuleTally(int rules) {
        checked = new long[rules];
        failed = new long[rules];
        waived = new long[rules];
        for (int i = 0; i < rules; i++) {
            samples.add(new ArrayList<>(SAMPLES + 1));
        }
    }

    void add(Verdicts v, List<Rule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            byte state = v.states()[i];
            if (state == Verdicts.NOT_APPLICABLE) {
                continue;
            }
            checked[i]++;
            if (state == Verdicts.FAILED) {
                failed[i]++;
                sample(samples.get(i), v.record().channel() == null ? v.record().key()
                        : v.record().channel() + "/" + v.record().key());
            } else if (state == Verdicts.WAIVED) {
                waived[i]++;
            }
        }
    }

    /** This tally with another one's counts and keys added (the other one is left as it was). */
    RuleTally plus(RuleTally other) {
        for (int i = 0; i < checked.length; i++) {
            checked[i] += other.checked[i];
            failed[i] += other.failed[i];
            waived[i] += other.waived[i];
            for (String key : other.samples.get(i)) {
                sample(samples.get(i), key);
            }
        }
        return this;
    }

    /** Keeps the key if it is among the smallest {@link #SAMPLES} (in order). */
    private static void sample(List<String> kept, String key) {
        if (kept.size() == SAMPLES && key.compareTo(kept.get(SAMPLES - 1)) >= 0) {
            return;
        }
        int at = Collections.binarySearch(kept, key);
        if (at >= 0) {
            return;
        }
        kept.add(-at - 1, key);
        if (kept.size() > SAMPLES) {
            kept.remove(SAMPLES);
        }
    }

    List<QualityCheck.Outcome> outcomes(List<Rule> rules, String channel, boolean strict) {
        List<QualityCheck.Outcome> outcomes = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            boolean breached = rule.threshold().breached(failed[i], checked[i]);
            RuleStatus status = !breached ? RuleStatus.PASS
                    : rule.severity() == Severity.FAIL || strict ? RuleStatus.FAIL : RuleStatus.WARN;
            outcomes.add(new QualityCheck.Outcome(rule, channel, checked[i], failed[i], waived[i], status,
                    List.copyOf(samples.get(i))));
        }
        return outcomes;
    }
}
