package cim.core.validate;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Contact data: mobile and landline numbers (libphonenumber, China by default), e-mail, postal code, bank card. */
public final class Contacts {
    /** Numbers without a country code are Chinese. */
    public static final String DEFAULT_REGION = "CN";
    static final int CHINA = 86;

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern POSTAL_CODE = Pattern.compile("[0-8]\\d{5}");
    private static final List<String> CALLING_CODE_SPELLINGS = List.of("+86", "+86-", "+86 ", "86 ", "86-");

    private Contacts() {
    }

    /** The E.164 form (+8613812341234), or empty when the text is no phone number at all. */
    public static Optional<String> e164(String text) {
        String national = plainNational(text);
        if (national != null) {
            return Optional.of(chineseE164(national));
        }
        try {
            PhoneNumber number = PHONES.parse(text, DEFAULT_REGION);
            return Optional.of(PHONES.format(number, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** A phone number normalised to E.164 where it parses, and why it is invalid, from one parse. */
    public record CheckedPhone(String value, Optional<Problem> problem) { }

    /** Normalises and validates in one parse (none for the usual spellings), for the import's hot path. */
    public static CheckedPhone checked(String text, boolean mobile) {
        String national = plainNational(text);
        return national != null ? new CheckedPhone(chineseE164(national), checkPlain(national, mobile))
                : checkedByParsing(text, mobile);
    }

    /** What libphonenumber's E.164 format makes of a Chinese national number that has no leading zero. */
    private static String chineseE164(String national) {
        return "+" + CHINA + national;
    }

    /** {@link #checked} with libphonenumber's parse whatever the text. */
    static CheckedPhone checkedByParsing(String text, boolean mobile) {
        PhoneNumber number;
        try {
            number = PHONES.parse(text, DEFAULT_REGION);
        } catch (NumberParseException e) {
            return new CheckedPhone(text, Optional.of(Problem.of(Problem.Kind.CHARACTERS, "not a phone number")));
        }
        return new CheckedPhone(PHONES.format(number, PhoneNumberFormat.E164), check(number, mobile));
    }

    /**
     * The number libphonenumber's parse makes of the usual spellings on file, without its parse (most of the cost
     * of checking a phone; validity is still decided by its patterns); null for any other text. A plain mobile (eleven
     * digits from 13 to 19 but not 179) is +86 and its digits, since no national or international prefix of China
     * (0, 00, 11…, 12…, 179…) can start it; a plain landline (010-62345678) is +86 and its digits without the trunk
     * 0, which the parse strips as China's national prefix. ContactsPlainNumberTest holds both to the parse.
     */
    static PhoneNumber plainChinese(String text) {
        String national = plainNational(text);
        return national == null ? null : number(national);
    }

    /** The national number (no trunk 0, so no leading zero) of a usual spelling; null for other text. */
    private static String plainNational(String text) {
        if (isPlainMobile(text)) {
            return text;
        }
        String landline = plainLandline(text);
        if (landline != null) {
            return landline;
        }
        String spelled = spelledMobile(text);
        return spelled != null ? spelled : StoredPhones.national(text);
    }

    /**
     * The digits of a plain mobile in the other spellings channels deliver: grouped 3-4-4 by spaces
     * (138 1234 1234), or after China's calling code (+8613812341234, +86-…, +86 …, 86 …, 86-…). The parse
     * drops the spaces, and takes the calling code for China's since the number is longer than any Chinese
     * national number with it and valid without it; ContactsPlainNumberTest holds every spelling to the parse.
     */
    private static String spelledMobile(String text) {
        if (text.length() == 13 && text.charAt(3) == ' ' && text.charAt(8) == ' ') {
            String digits = text.substring(0, 3) + text.substring(4, 8) + text.substring(9);
            return isPlainMobile(digits) ? digits : null;
        }
        for (String prefix : CALLING_CODE_SPELLINGS) {
            if (text.length() == prefix.length() + 11 && text.startsWith(prefix)) {
                String digits = text.substring(prefix.length());
                return isPlainMobile(digits) ? digits : null;
            }
        }
        return null;
    }

    private static PhoneNumber number(String national) {
        return new PhoneNumber().setCountryCode(CHINA).setNationalNumber(Long.parseLong(national));
    }

    private static boolean isPlainMobile(String text) {
        return text.length() == 11 && text.charAt(0) == '1' && text.charAt(1) >= '3' && !text.startsWith("179")
                && isDigits(text, 1, text.length());
    }

    /**
     * 010-62345678 or 0591-8274332: the trunk 0, an area code of two or three digits (not starting with 0, which
     * would make 00 the international prefix), a hyphen and seven or eight digits; its digits after the 0.
     */
    private static String plainLandline(String text) {
        int hyphen = text.indexOf('-');
        int subscriber = text.length() - hyphen - 1;
        if ((hyphen != 3 && hyphen != 4) || text.charAt(0) != '0' || text.charAt(1) == '0' || subscriber < 7
                || subscriber > 8 || !isDigits(text, 1, hyphen) || !isDigits(text, hyphen + 1, text.length())) {
            return null;
        }
        return text.substring(1, hyphen) + text.substring(hyphen + 1);
    }

    /** Whether the characters from {@code from} to {@code to} are ASCII digits (what \d matches). */
    static boolean isDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public static Optional<Problem> checkMobile(String text) {
        return checkPhone(text, true);
    }

    public static Optional<Problem> checkLandline(String text) {
        return checkPhone(text, false);
    }

    /** Validation alone: one parse (none for the usual spellings), no formatting. */
    private static Optional<Problem> checkPhone(String text, boolean mobile) {
        String national = plainNational(text);
        if (national != null) {
            return checkPlain(national, mobile);
        }
        try {
            return check(PHONES.parse(text, DEFAULT_REGION), mobile);
        } catch (NumberParseException e) {
            return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "not a phone number"));
        }
    }

    /**
     * {@link #check} of the national number of a plain spelling ({@link #plainNational}); the type of eleven digits
     * from 13 to 19, whatever the spelling they came in, by PlainMobiles.
     */
    private static Optional<Problem> checkPlain(String national, boolean mobile) {
        PhoneNumber number = number(national);
        return PlainMobiles.DECIDE && isPlainMobile(national) ? problem(PlainMobiles.type(national), number, mobile)
                : check(number, mobile);
    }

    private static Optional<Problem> check(PhoneNumber number, boolean mobile) {
        // a number is valid exactly when it has a type (isValidNumber would match the same patterns again)
        return problem(PHONES.getNumberType(number), number, mobile);
    }

    private static Optional<Problem> problem(PhoneNumberType type, PhoneNumber number, boolean mobile) {
        if (type == PhoneNumberType.UNKNOWN) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "not a valid number for region "
                    + PHONES.getRegionCodeForNumber(number) + " (wrong length or prefix)"));
        }
        boolean isMobile = type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
        boolean isLandline = type == PhoneNumberType.FIXED_LINE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
        if (mobile && !isMobile) {
            return Optional.of(Problem.of(Problem.Kind.FORMAT, "a landline number where a mobile is expected"));
        }
        if (!mobile && !isLandline && !isMobile) {
            return Optional.of(Problem.of(Problem.Kind.FORMAT, "not a landline or mobile number"));
        }
        return Optional.empty();
    }

    public static Optional<Problem> checkEmail(String email) {
        if (email.length() > 254) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "an e-mail address has at most 254 characters"));
        }
        if (!isEmail(email)) {
            return Optional.of(Problem.of(Problem.Kind.FORMAT, "not an e-mail address (name@domain.cn)"));
        }
        return Optional.empty();
    }

    /**
     * Whether the text is a well-formed e-mail address, read char by char: a local part of letters, digits and
     * .!#$%&'*+/=?^_`{|}~-, an @, and two or more dot-separated labels of letters, digits and inner hyphens (ASCII).
     * It was the regular expression FastReadingTest keeps as its reference, a tenth of a quality check's rules;
     * neither part can hold an @, nor a label a dot, so each split is the only one the expression could make.
     */
    static boolean isEmail(String text) {
        int at = text.indexOf('@');
        if (at < 1) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (!isLocalPartCharacter(text.charAt(i))) {
                return false;
            }
        }
        int labels = 0;
        int start = at + 1;
        while (true) {
            int dot = text.indexOf('.', start);
            int end = dot < 0 ? text.length() : dot;
            if (!isLabel(text, start, end)) {
                return false;
            }
            labels++;
            if (dot < 0) {
                return labels >= 2;
            }
            start = dot + 1;
        }
    }

    private static boolean isLocalPartCharacter(char c) {
        return isLetterOrDigit(c) || (c < 128 && ".!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0);
    }

    /** A domain label: letters and digits, hyphens inside. */
    private static boolean isLabel(String text, int from, int to) {
        if (to <= from || !isLetterOrDigit(text.charAt(from)) || !isLetterOrDigit(text.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            if (!isLetterOrDigit(text.charAt(i)) && text.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    public static Optional<Problem> checkPostalCode(String code) {
        if (code.length() != 6) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "a postal code has 6 digits, this one "
                    + code.length() + " characters"));
        }
        if (!POSTAL_CODE.matcher(code).matches()) {
            return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "a postal code is 6 digits, the first 0 to 8"));
        }
        return Optional.empty();
    }

    /** A bank card number: 12 to 19 digits whose last is the Luhn check digit. */
    public static Optional<Problem> checkBankCard(String number) {
        if (!number.chars().allMatch(Character::isDigit)) {
            return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "a card number is digits only"));
        }
        if (number.length() < 12 || number.length() > 19) {
            return Optional.of(Problem.of(Problem.Kind.LENGTH, "a card number has 12 to 19 digits, this one "
                    + number.length()));
        }
        return luhn(number) ? Optional.empty()
                : Optional.of(Problem.of(Problem.Kind.CHECKSUM, "the Luhn check digit does not match"));
    }

    /** The keys under which an account of the accounts list carries its number. */
    private static final java.util.Set<String> ACCOUNT_NUMBER_KEYS = java.util.Set.of("number", "account",
            "account_no", "card", "card_no", "no");

    /**
     * The accounts list (JSON: an array of objects, or one object, each with its bank and number): every number that
     * is a bank card (16 to 19 digits) must pass the Luhn check; a number with other characters than digits, blanks
     * and dashes is malformed. A person's accounts are cards; an organisation's are checked only where an entry says
     * it is a card (key card or card_no, or type card, 借记卡, 信用卡): corporate account numbers have no check
     * digit. The first problem found, by the account's position, never its digits.
     */
    public static Optional<Problem> checkAccounts(String accounts, boolean organisation) {
        tools.jackson.databind.JsonNode node;
        try {
            node = cim.core.json.Json.MAPPER.readTree(accounts);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        List<tools.jackson.databind.JsonNode> all = new java.util.ArrayList<>();
        if (node.isArray()) {
            node.forEach(all::add);
        } else if (node.isObject()) {
            all.add(node);
        }
        for (int i = 0; i < all.size(); i++) {
            String type = all.get(i).path("type").asString("").toLowerCase(java.util.Locale.ROOT);
            boolean cardEntry = type.contains("card") || type.contains("借记卡") || type.contains("信用卡");
            for (java.util.Map.Entry<String, tools.jackson.databind.JsonNode> field : all.get(i).properties()) {
                if (!ACCOUNT_NUMBER_KEYS.contains(field.getKey()) || !field.getValue().isValueNode()) {
                    continue;
                }
                boolean card = !organisation || cardEntry || field.getKey().startsWith("card");
                String number = field.getValue().asString().replace(" ", "").replace("-", "");
                if (!number.chars().allMatch(Character::isDigit)) {
                    return Optional.of(Problem.of(Problem.Kind.CHARACTERS, "account " + (i + 1) + ": a number is "
                            + "digits only"));
                }
                if (card && number.length() >= 16 && number.length() <= 19 && !luhn(number)) {
                    return Optional.of(Problem.of(Problem.Kind.CHECKSUM, "account " + (i + 1) + ": the card "
                            + "number's Luhn check digit does not match"));
                }
            }
        }
        return Optional.empty();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
