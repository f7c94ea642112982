package cim.core.validate;

import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import java.util.regex.Pattern;

/**
 * The form every stored number has, E.164 with China's calling code (+861062345678, +8613812341234): the parse
 * takes 86 for the calling code (no calling code begins 8 alone), strips no trunk prefix where China's prefix
 * for parsing does not begin the rest (PREFIX, from the metadata), and makes the rest, all digits and not
 * beginning with 0, the national number. Most of what a quality check spent on landlines was that parse.
 * ContactsPlainNumberTest holds it to the parse.
 */
final class StoredPhones {
    private static final String CALLING_CODE = "+" + Contacts.CHINA;
    private static final Pattern PREFIX = Pattern.compile(DefaultMetadataDependenciesProvider.getInstance()
            .getPhoneNumberMetadataSource().getMetadataForRegion(Contacts.DEFAULT_REGION).getNationalPrefixForParsing());
    /** The national numbers read this way: from a short number (95555) to a long landline with its area code. */
    static final int SHORTEST = 5;
    static final int LONGEST = 12;

    private StoredPhones() {
    }

    /** The national number, or null when the text is not of that form (and is left to the parse). */
    static String national(String text) {
        int digits = text.length() - CALLING_CODE.length();
        int from = CALLING_CODE.length();
        if (digits < SHORTEST || digits > LONGEST || !text.startsWith(CALLING_CODE) || text.charAt(from) == '0'
                || !Contacts.isDigits(text, from, text.length())) {
            return null;
        }
        String national = text.substring(from);
        return PREFIX.matcher(national).lookingAt() ? null : national;
    }
}
