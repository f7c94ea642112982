package cim.core.validate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * The resident identity number of GB 11643-1999: six digits of region, eight of birth date, three of sequence
 * (odd for men) and an ISO 7064 MOD 11-2 check character (0–9 or X). Also the residence permits of Hong Kong,
 * Macau and Taiwan residents (81/82/83…) and the 2023 foreign permanent-residence ID (9 + province …), which
 * share the layout and the check.
 */
public final class ResidentId {
    /** The ID types whose numbers follow GB 11643 (no type given counts as one). */
    private static final Set<String> RESIDENT_ID_TYPES = Set.of("身份证", "居民身份证", "id_card", "idcard",
            "resident_id", "01", "1", "a", "港澳台居民居住证", "外国人永久居留身份证");

    /** Whether an ID type (as a channel writes it, or none) means a GB 11643 number. */
    public static boolean isResidentIdType(String idType) {
        return idType == null || idType.isBlank()
                || RESIDENT_ID_TYPES.contains(idType.strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";
    private static final Set<String> PROVINCES = Set.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
            "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
            "63", "64", "65", "71", "81", "82", "83");
    private static final boolean[] PROVINCE_CODES = new boolean[100];
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    static {
        PROVINCES.forEach(code -> PROVINCE_CODES[Integer.parseInt(code)] = true);
    }

    private ResidentId() {
    }

    /** Why the (normalised, 18-character) number is not valid, or empty when it is. */
    public static Optional<Problem> check(String id, LocalDate today) {
        if (id.length() != 18) {
            return problem(Problem.Kind.LENGTH, "an ID number has 18 characters, this one " + id.length());
        }
        // read char by char, not by stream and regular expression: a check reads every ID number of the database
        for (int i = 0; i < 17; i++) {
            if (!Character.isDigit(id.charAt(i))) {
                return problem(Problem.Kind.CHARACTERS, "an ID number is 17 digits and a digit or X");
            }
        }
        if (!(Character.isDigit(id.charAt(17)) || id.charAt(17) == 'X')) {
            return problem(Problem.Kind.CHARACTERS, "an ID number is 17 digits and a digit or X");
        }
        int regionAt = id.charAt(0) == '9' ? 1 : 0;
        if (!isProvince(id.charAt(regionAt), id.charAt(regionAt + 1))) {
            return problem(Problem.Kind.REGION, "its region digits are no province code");
        }
        Optional<Problem> birth = Dates.checkBirthDate(id.substring(6, 14), today);
        if (birth.isPresent()) {
            // said without the digits: the reason is stored and shown in clear, the number is tier 1
            return problem(Problem.Kind.DATE, Dates.parse(id.substring(6, 14)).isEmpty()
                    ? "the birth date in it is not a real date" : "the birth date in it is " + birth.get().message()
                    .replace("the birth date is ", ""));
        }
        if (id.charAt(17) != checkCharacter(id)) {
            return problem(Problem.Kind.CHECKSUM, "the check character does not match (ISO 7064 MOD 11-2)");
        }
        return Optional.empty();
    }

    /** Whether two characters are the digits of a province code (only ASCII digits can be: PROVINCES holds them). */
    private static boolean isProvince(char tens, char units) {
        return tens >= '0' && tens <= '9' && units >= '0' && units <= '9'
                && PROVINCE_CODES[(tens - '0') * 10 + units - '0'];
    }

    /** The check character of the first 17 digits (of a text of at least 17 characters). */
    public static char checkCharacter(String body17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11);
    }

    /** The 18-digit form of a 15-digit (pre-1999) number: century 19 inserted, check character added. */
    public static String fromLegacy(String id15) {
        String body = id15.substring(0, 6) + "19" + id15.substring(6);
        return body + checkCharacter(body);
    }

    public static boolean isLegacy(String id) {
        return id.length() == 15 && id.chars().allMatch(Character::isDigit);
    }

    /** The birth date written in a valid number. */
    public static LocalDate birthDate(String id) {
        // its eight ASCII digits read as numbers (the formatter's parse cost a check as much as the whole ID rule)
        Optional<LocalDate> date = Dates.compact(id, 6);
        return date.isPresent() ? date.get() : LocalDate.parse(id.substring(6, 14), BASIC);
    }

    /** The gender the sequence gives: odd for male, even for female. */
    public static String gender(String id) {
        return (id.charAt(16) - '0') % 2 == 1 ? "M" : "F";
    }

    private static Optional<Problem> problem(Problem.Kind kind, String message) {
        return Optional.of(Problem.of(kind, message));
    }
}
