package cim.core.codes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compares two source records and says why. The deterministic rules ({@link IdentifierRule}) first: the same valid
 * identifier is the same customer, different valid ones a conflict. Otherwise a score, the sum of the outcomes of the
 * comparators ({@link Comparator}) for the pair's type, each kept for the explanation. Guard: a person pair that
 * only name, birth date and gender tie (no identifier, contact or address corroborates) scores at most
 * {@link #UNCORROBORATED_CAP}, so that namesakes go to a steward rather than linking by themselves.
 */
final class Comparison {
    /** The outcome: a deterministic rule (or "score"), the score, whether the pair must never be linked, and why. */
    record Verdict(String rule, double score, boolean conflict, Map<String, Object> explanation) {
        static final double DETERMINISTIC = 99.0;

        boolean deterministic() {
            return !"score".equals(rule) && !conflict;
        }
    }

    /** The catalogues, read once: {@code values()} copies its array on every call, and this runs for every pair. */
    private static final IdentifierRule[] RULES = IdentifierRule.values();
    private static final Comparator[] COMPARATORS = Comparator.values();

    /** The highest score of a person pair that only name, birth date and gender tie: below the link threshold. */
    static final double UNCORROBORATED_CAP = 7.0;

    private Comparison() {
    }

    static Verdict compare(MatchRecord a, MatchRecord b) {
        return compare(a.values(), b.values());
    }

    static Verdict compare(MatchValues a, MatchValues b) {
        Map<String, Object> why = new LinkedHashMap<>();
        if (a.type() != b.type()) {
            why.put("customer_type", "different");
            return new Verdict("type", -Verdict.DETERMINISTIC, true, why);
        }
        for (IdentifierRule rule : RULES) {
            Identifier one = rule.of(a);
            Identifier other = rule.of(b);
            if (rule.type() == a.type() && one.valid() && other.valid()) {
                if (one.value().equals(other.value())) {
                    why.put(rule.field(), rule.same());
                    return new Verdict(rule.field(), Verdict.DETERMINISTIC, false, why);
                }
                why.put(rule.field(), rule.different());
                return new Verdict("conflict", -Verdict.DETERMINISTIC, true, why);
            }
        }
        double score = 0;
        boolean corroborated = false;
        for (Comparator comparator : COMPARATORS) {
            Comparator.Outcome outcome = comparator.appliesTo(a.type()) ? comparator.compare(a, b) : null;
            if (outcome != null) {
                why.put(comparator.field(), outcome.explained());
                score += outcome.weight();
                corroborated |= outcome.corroborates();
            }
        }
        if (!a.organisation() && !corroborated && score > UNCORROBORATED_CAP) {
            why.put("cap", "nothing but name, birth date and gender agree: at most " + UNCORROBORATED_CAP);
            score = UNCORROBORATED_CAP;
        }
        return new Verdict("score", round(score), false, why);
    }

    private static double round(double score) {
        return Math.round(score * 100) / 100.0;
    }
}
