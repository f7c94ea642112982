package cim.core.validate;

import java.util.Optional;

/**
 * The unified social credit code of GB 32100-2015: 18 characters from a 31-character alphabet without I, O, Z, S
 * and V; registration authority, organisation category, six-digit region, the nine-character organisation code of
 * GB 11714 (which must pass its own check), and a weighted MOD 31 check character.
 */
public final class CreditCode {
    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private CreditCode() {
    }

    /** Why the (normalised) code is not valid, or empty when it is. */
    public static Optional<Problem> check(String code) {
        if (code.length() != 18) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "a credit code has 18 characters, this one "
                    + code.length()));
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "character " + (i + 1) + " is not allowed "
                        + "(digits and capital letters without I, O, Z, S, V)"));
            }
        }
        if (!code.substring(2, 8).chars().allMatch(Character::isDigit)) {
            return Optional.of(Problem.of(Problem.Kind.REGION, "characters 3 to 8 must be a region code of digits"));
        }
        if (code.charAt(17) != checkCharacter(code.substring(0, 17))) {
            return Optional.of(Problem.of(Problem.Kind.CHECKSUM, "the check character does not match (GB 32100)"));
        }
        Optional<Problem> embedded = OrganisationCode.check(organisationCode(code));
        return embedded.map(p -> Problem.of(p.kind(), "the organisation code inside it: " + p.message()));
    }

    public static char checkCharacter(String body17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(body17.charAt(i)) * WEIGHTS[i];
        }
        return ALPHABET.charAt((31 - sum % 31) % 31);
    }

    /** The GB 11714 organisation code inside a credit code (characters 9 to 17). */
    public static String organisationCode(String code) {
        return code.substring(8, 17);
    }
}
