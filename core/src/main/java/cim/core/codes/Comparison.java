package cim.core.codes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two source records and says why. Deterministic rules first: the same valid identifier (18-digit
 * resident ID after 15→18 conversion; credit code; the organisation code inside a credit code) is the same
 * customer. Otherwise a score, the sum of per-field weights (log-odds in spirit: what agreement on the field says
 * for "same customer", what disagreement says against), each kept for the explanation. Guards: different valid ID
 * numbers (or credit codes) are a conflict, never linked by the matcher; a different given name under the same
 * surname weighs against as much as a shared phone and address weigh for, so a family member is not enough.
 */
final class Comparison {
    /** The outcome: a deterministic rule (or "score"), the score, whether the pair must never be linked, and why. */
    record Verdict(String rule, double score, boolean conflict, Map<String, Object> explanation) {
        static final double DETERMINISTIC = 99.0;

        boolean deterministic() {
            return !"score".equals(rule) && !conflict;
        }
    }

    private Comparison() {
    }

    static Verdict compare(MatchRecord a, MatchRecord b) {
        Map<String, Object> why = new LinkedHashMap<>();
        if (a.organisation() != b.organisation()) {
            why.put("customer_type", "different");
            return new Verdict("type", -Verdict.DETERMINISTIC, true, why);
        }
        return a.organisation() ? organisations(a, b, why) : persons(a, b, why);
    }

    private static Verdict persons(MatchRecord a, MatchRecord b, Map<String, Object> why) {
        if (a.idValid() && b.idValid()) {
            if (a.idNumber().equals(b.idNumber())) {
                why.put("id_number", "same valid number");
                return new Verdict("id_number", Verdict.DETERMINISTIC, false, why);
            }
            why.put("id_number", "different valid numbers: never linked by the matcher");
            return new Verdict("conflict", -Verdict.DETERMINISTIC, true, why);
        }
        double score = 0;
        boolean[] corroborated = {false};
        if (a.idNumber() != null && b.idNumber() != null) {
            if (a.idNumber().equals(b.idNumber())) {
                score += weigh(why, "id_number", 6.0, "same number (not valid)");
                corroborated[0] = true;
            } else if (a.idNumber().length() == 18 && b.idNumber().length() == 18
                    && a.idNumber().regionMatches(0, b.idNumber(), 0, 17)) {
                score += weigh(why, "id_number", 5.0, "same number but for the check character (one is invalid)");
                corroborated[0] = true;
            } else {
                score += weigh(why, "id_number", -2.0, "different numbers");
            }
        }
        if (a.name() != null && b.name() != null) {
            ChineseName.Agreement name = ChineseName.comparePersons(a.name(), b.name());
            score += weigh(why, "name", switch (name) {
                case EXACT -> 4.0;
                case SOUND_ALIKE -> 3.0;
                case SIMILAR -> 1.0;
                case OTHER_GIVEN_NAME -> -5.0;
                case DIFFERENT -> -7.0;
            }, ChineseName.describe(name));
        }
        if (a.birthDate() != null && b.birthDate() != null) {
            boolean same = a.birthDate().equals(b.birthDate());
            score += weigh(why, "birth_date", same ? 3.5 : -4.0, same ? "same" : "different");
        }
        if (a.gender() != null && b.gender() != null) {
            boolean same = a.gender().equals(b.gender());
            score += weigh(why, "gender", same ? 0.5 : -4.0, same ? "same" : "different");
        }
        score += contacts(a, b, why, corroborated);
        if (!corroborated[0] && score > UNCORROBORATED_CAP) {
            // name and birth date are shared by strangers (namesakes): without an identifier, contact or address
            // that agrees too, the pair goes to a steward rather than linking by itself
            why.put("cap", "nothing but name, birth date and gender agree: at most " + UNCORROBORATED_CAP);
            score = UNCORROBORATED_CAP;
        }
        return new Verdict("score", round(score), false, why);
    }

    private static Verdict organisations(MatchRecord a, MatchRecord b, Map<String, Object> why) {
        if (a.usccValid() && b.usccValid()) {
            if (a.uscc().equals(b.uscc())) {
                why.put("uscc", "same valid credit code");
                return new Verdict("uscc", Verdict.DETERMINISTIC, false, why);
            }
            why.put("uscc", "different valid credit codes: never linked by the matcher");
            return new Verdict("conflict", -Verdict.DETERMINISTIC, true, why);
        }
        if (a.orgCodeValid() && b.orgCodeValid()) {
            if (a.orgCode().equals(b.orgCode())) {
                why.put("org_code", "same valid organisation code");
                return new Verdict("org_code", Verdict.DETERMINISTIC, false, why);
            }
            why.put("org_code", "different valid organisation codes: never linked by the matcher");
            return new Verdict("conflict", -Verdict.DETERMINISTIC, true, why);
        }
        double score = 0;
        if (a.name() != null && b.name() != null) {
            ChineseName.Agreement name = ChineseName.compareOrganisations(a.name(), b.name());
            score += weigh(why, "name", switch (name) {
                case EXACT -> 5.0;
                case SOUND_ALIKE -> 4.0;
                case SIMILAR -> 2.0;
                case OTHER_GIVEN_NAME, DIFFERENT -> -6.0;
            }, ChineseName.describe(name));
        }
        score += contacts(a, b, why, new boolean[1]);
        return new Verdict("score", round(score), false, why);
    }

    /** The highest score of a person pair that only name, birth date and gender tie: below the link threshold. */
    static final double UNCORROBORATED_CAP = 7.0;

    /** Contact and address agreement; {@code corroborated[0]} is set when one of them agrees outright. */
    private static double contacts(MatchRecord a, MatchRecord b, Map<String, Object> why, boolean[] corroborated) {
        double score = 0;
        if (a.mobile() != null && b.mobile() != null) {
            boolean same = a.mobile().equals(b.mobile());
            score += weigh(why, "mobile", same ? 3.0 : -0.5, same ? "same" : "different");
            corroborated[0] |= same;
        }
        if (a.phone() != null && b.phone() != null && a.phone().equals(b.phone())) {
            score += weigh(why, "phone", 1.5, "same");
            corroborated[0] = true;
        }
        if (a.email() != null && b.email() != null) {
            boolean same = a.email().equals(b.email());
            score += weigh(why, "email", same ? 4.0 : 0.0, same ? "same" : "different");
            corroborated[0] |= same;
        }
        if (a.address() != null && b.address() != null) {
            if (a.address().equals(b.address())) {
                score += weigh(why, "address", 1.5, "same");
                corroborated[0] = true;
            } else if (abbreviated(a.address(), b.address())) {
                score += weigh(why, "address", 1.0, "same, one abbreviated");
                corroborated[0] = true;
            } else if (a.district() != null && Objects.equals(a.district(), b.district())) {
                score += weigh(why, "address", 0.5, "same district");
            } else {
                score += weigh(why, "address", -0.5, "different");
            }
        }
        return score;
    }

    /** One address is the other without its city or house number (中山路 in 北京市朝阳区中山路12号). */
    private static boolean abbreviated(String a, String b) {
        String shorter = a.length() < b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return shorter.length() >= 5 && longer.contains(shorter);
    }

    private static double weigh(Map<String, Object> why, String field, double weight, String finding) {
        why.put(field, finding + " (" + (weight >= 0 ? "+" : "") + weight + ")");
        return weight;
    }

    private static double round(double score) {
        return Math.round(score * 100) / 100.0;
    }
}
