package cim.core.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The corrections cleansing makes to a value already normalised ({@link Normalizer#text}); null: none applies. */
public final class Cleanser {
    /**
     * What a record's values as received are sealed under, together as one JSON object: the column's name, as for
     * every sealed column (a key rotation re-seals it with the rest), and never a field's own.
     */
    public static final String SEAL_CONTEXT = "cleansed";

    /** A province, region or municipality written twice at the start: 北京市北京市…, 广东省广东省…. */
    private static final Pattern REPEATED_PREFIX = Pattern.compile("^(\\p{IsHan}{2,8}?(?:省|市|自治区))\\1+");

    private Cleanser() {
    }

    /** Gender as M or F, from 男/女/M/F/1/2/male/female (先生/女士 too); null when it is none of them. */
    public static String gender(String text) {
        return Normalizer.gender(text);
    }

    /** An address without blanks between Chinese characters, and without its first division written twice. */
    public static String address(String text) {
        String joined = withoutBlanksBetweenHan(text);
        Matcher repeated = REPEATED_PREFIX.matcher(joined);
        return repeated.find() ? repeated.group(1) + joined.substring(repeated.end()) : joined;
    }

    private static String withoutBlanksBetweenHan(String text) {
        if (text.indexOf(' ') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ') {
                int next = i;
                while (next < text.length() && text.charAt(next) == ' ') {
                    next++;
                }
                boolean between = out.length() > 0 && next < text.length()
                        && isHan(out.charAt(out.length() - 1)) && isHan(text.charAt(next));
                if (!between) {
                    out.append(' ');
                }
                i = next - 1;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isHan(char c) {
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }
}
