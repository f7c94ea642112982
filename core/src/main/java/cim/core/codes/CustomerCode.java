package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;

import java.util.Locale;
import java.util.Optional;

/**
 * A customer code (客户代码): the type letter ({@code P} person, {@code G} organisation), a zero-padded sequence
 * of nine digits, and one check character (0–9 or X) by ISO 7064 MOD 11-2, the system of the resident ID, over
 * the letter (as its two-digit value, P=25, G=16, as in IBANs) and the digits: any one digit mistyped, and any two
 * neighbouring digits swapped, is caught. Codes are never reused.
 */
public record CustomerCode(String value) {
    public static final int DIGITS = 9;

    /** The code of the {@code sequence}-th customer of a type. */
    public static CustomerCode of(boolean organisation, long sequence) {
        if (sequence < 1 || sequence >= 1_000_000_000L) {
            throw new IllegalArgumentException("a customer sequence runs from 1 to 999,999,999: " + sequence);
        }
        char[] body = new char[DIGITS + 1];
        body[0] = organisation ? 'G' : 'P';
        for (int i = DIGITS; i > 0; i--, sequence /= 10) {
            body[i] = (char) ('0' + sequence % 10);
        }
        String text = new String(body);
        return new CustomerCode(text + checkCharacter(text));
    }

    /** Parses a code as a person types it (blanks, lower case); a usage error says what is wrong and the fix. */
    public static CustomerCode parse(String text) {
        String code = text == null ? "" : text.strip().replace(" ", "").toUpperCase(Locale.ROOT);
        Optional<String> problem = problem(code);
        if (problem.isPresent()) {
            throw new CimException(Failure.USAGE, "'" + text + "' is not a customer code: " + problem.get(),
                    suggestion(code).map(s -> "did you mean " + s + "?").orElse(
                            "a code is P or G, nine digits and a check character, e.g. " + of(false, 17).value()));
        }
        return new CustomerCode(code);
    }

    public boolean organisation() {
        return value.charAt(0) == 'G';
    }

    public long sequence() {
        return Long.parseLong(value.substring(1, 1 + DIGITS));
    }

    private static Optional<String> problem(String code) {
        if (code.length() != DIGITS + 2) {
            return Optional.of("it has " + code.length() + " characters, a code has " + (DIGITS + 2));
        }
        if (code.charAt(0) != 'P' && code.charAt(0) != 'G') {
            return Optional.of("it must start with P (person) or G (organisation)");
        }
        if (!code.substring(1, 1 + DIGITS).chars().allMatch(Character::isDigit)) {
            return Optional.of("characters 2 to " + (DIGITS + 1) + " must be digits");
        }
        if (code.charAt(DIGITS + 1) != checkCharacter(code.substring(0, DIGITS + 1))) {
            return Optional.of("the check character does not match (a character is mistyped)");
        }
        return Optional.empty();
    }

    /** The valid code closest to a mistyped one: its body with the right check character, when the body parses. */
    private static Optional<String> suggestion(String code) {
        String body = code.length() >= DIGITS + 1 ? code.substring(0, DIGITS + 1) : null;
        if (body == null || (body.charAt(0) != 'P' && body.charAt(0) != 'G')
                || !body.substring(1).chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(body + checkCharacter(body));
    }

    /** ISO 7064 MOD 11-2 over the letter's two-digit value and the sequence. */
    static char checkCharacter(String body) {
        String digits = (body.charAt(0) == 'G' ? "16" : "25") + body.substring(1);
        int p = 0;
        for (int i = 0; i < digits.length(); i++) {
            p = (p + digits.charAt(i) - '0') * 2 % 11;
        }
        int check = (12 - p % 11) % 11;
        return check == 10 ? 'X' : (char) ('0' + check);
    }

    @Override
    public String toString() {
        return value;
    }
}
