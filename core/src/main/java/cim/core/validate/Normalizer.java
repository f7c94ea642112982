package cim.core.validate;

import java.text.Normalizer.Form;
import java.util.Locale;

/**
 * What every value goes through before it is matched or validated (SPEC §2): trimmed, Unicode NFKC (full-width
 * digits and letters become ASCII), and then per field: the ID check letter upper-cased and a 15-digit legacy
 * number converted to 18 digits, phone numbers to E.164, e-mail lower-cased, dates to ISO. A value that cannot be
 * normalised is returned trimmed and NFKC'd, for its validator to say why.
 */
public final class Normalizer {
    private Normalizer() {
    }

    /** Trimmed and NFKC'd; null for blank. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String v = nfkc(value).strip();
        return v.isEmpty() ? null : v;
    }

    /**
     * A person's or organisation's name: as {@link #text}, and a blank between two Chinese characters dropped (梁 健 is
     * 梁健: a typing habit, never part of the name); blanks between Latin words stay, runs of them become one.
     */
    public static String name(String value) {
        String v = text(value);
        if (v == null || v.indexOf(' ') < 0 && v.indexOf('\t') < 0) {
            return v;
        }
        StringBuilder name = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!Character.isWhitespace(c)) {
                name.append(c);
                continue;
            }
            int next = i;
            while (next < v.length() && Character.isWhitespace(v.charAt(next))) {
                next++;
            }
            boolean hanBefore = name.length() > 0 && isHan(name.codePointBefore(name.length()));
            boolean hanAfter = next < v.length() && isHan(v.codePointAt(next));
            if (!(hanBefore && hanAfter)) {
                name.append(' ');
            }
            i = next - 1;
        }
        return name.toString();
    }

    private static boolean isHan(int codePoint) {
        return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }

    /** Case mapping can undo NFKC (ΰ upper-cases to a decomposed form), so it is applied again after. */
    private static String nfkc(String value) {
        return isOwnNfkc(value) ? value : java.text.Normalizer.normalize(value, Form.NFKC);
    }

    /**
     * Text of ASCII and the CJK unified ideographs (U+4E00 to U+9FFF) is its own NFKC form: most identifiers, names
     * and addresses skip the (costly) Unicode normalisation. Full-width forms, compatibility ideographs and all the
     * rest still go through it.
     */
    static boolean isOwnNfkc(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80 && (c < 0x4E00 || c > 0x9FFF)) {
                return false;
            }
        }
        return true;
    }

    /** Removes blanks, and hyphens too when asked, without a regular expression (this runs for every value). */
    private static String squeeze(String value, boolean hyphens) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean drop = Character.isWhitespace(c) || (hyphens && c == '-');
            if (drop && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!drop && out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    public static String idNumber(String value) {
        String v = text(value);
        if (v == null) {
            return null;
        }
        v = nfkc(squeeze(v, false).toUpperCase(Locale.ROOT));
        return ResidentId.isLegacy(v) ? ResidentId.fromLegacy(v) : v;
    }

    /** USCC, organisation code, business licence: no blanks or hyphens, upper case. */
    public static String code(String value) {
        String v = text(value);
        return v == null ? null : nfkc(squeeze(v, true).toUpperCase(Locale.ROOT));
    }

    public static String phone(String value) {
        String v = text(value);
        return v == null ? null : Contacts.e164(v).orElse(v);
    }

    public static String email(String value) {
        String v = text(value);
        return v == null ? null : nfkc(v.toLowerCase(Locale.ROOT));
    }

    /** ISO date when the text is a date of a known form, else the text itself. */
    public static String date(String value) {
        String v = text(value);
        return v == null ? null : Dates.parse(v).map(Object::toString).orElse(v);
    }

    /** M or F from the usual spellings (男, 女, M, F, male, female, 1, 2); null when unknown. */
    public static String gender(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "男", "男性", "m", "male", "1", "先生" -> "M";
            case "女", "女性", "f", "female", "2", "女士" -> "F";
            default -> null;
        };
    }
}
