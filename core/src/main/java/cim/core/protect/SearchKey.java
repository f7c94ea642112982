package cim.core.protect;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The canonical form of a value for its blind index, so that the same identifier written in different ways
 * (full-width digits, blanks, lower-case check letter, a mobile with or without +86) finds the same records.
 */
public final class SearchKey {
    private SearchKey() {
    }

    public static String canonical(CustomerField field, String value) {
        String v = Normalizer.normalize(value, Normalizer.Form.NFKC).strip();
        return switch (field) {
            case ID_NUMBER, USCC, ORG_CODE, BUSINESS_LICENCE -> v.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
            case EMAIL -> v.toLowerCase(Locale.ROOT);
            case MOBILE, PHONE -> phone(v);
            default -> v;
        };
    }

    private static String phone(String value) {
        String digits = value.replaceAll("[^0-9]", "");
        if (value.startsWith("+")) {
            return "+" + digits;
        }
        if (digits.length() == 11 && digits.startsWith("1")) {
            return "+86" + digits;
        }
        if (digits.startsWith("0086")) {
            return "+" + digits.substring(2);
        }
        return digits;
    }
}
