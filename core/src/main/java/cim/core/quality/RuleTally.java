package cim.core.quality;

import java.util.ArrayList;
import java.util.List;

/** Checked, failed and waived counts per rule of a run (or of one channel's records), and the first failing keys. */
final class RuleTally {
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
            samples.add(new ArrayList<>(SAMPLES));
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
                if (samples.get(i).size() < SAMPLES) {
                    samples.get(i).add(v.record().channel() == null ? v.record().key()
                            : v.record().channel() + "/" + v.record().key());
                }
            } else if (state == Verdicts.WAIVED) {
                waived[i]++;
            }
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
