package cim.core.validate;

import java.util.Optional;

/** The organisation code of GB 11714-1997: eight digits or capital letters and a weighted MOD 11 check (X for 10). */
public final class OrganisationCode {
    private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private OrganisationCode() {
    }

    /** Why the (normalised, hyphen removed) code is not valid, or empty when it is. */
    public static Optional<Problem> check(String code) {
        if (code.length() != 9) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "an organisation code has 9 characters, this one "
                    + code.length()));
        }
        for (int i = 0; i < 8; i++) {
            if (value(code.charAt(i)) < 0) {
                return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "an organisation code is digits and capital "
                        + "letters, then a digit or X"));
            }
        }
        if (code.charAt(8) != checkCharacter(code.substring(0, 8))) {
            return Optional.of(Problem.of(Problem.Kind.CHECKSUM, "the check character does not match (GB 11714)"));
        }
        return Optional.empty();
    }

    public static char checkCharacter(String body8) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += value(body8.charAt(i)) * WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
    }
}
