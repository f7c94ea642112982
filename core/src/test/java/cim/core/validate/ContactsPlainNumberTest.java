package cim.core.validate;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parse Contacts skips for plain mobiles and landlines must be the one libphonenumber would have made, and the
 * type it gives a plain mobile without libphonenumber's walk through every type the one libphonenumber would give.
 */
class ContactsPlainNumberTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** Every six-digit beginning (which decides China's number types) with random last five digits. */
    @Test
    void everyPlainBeginningParsesAndChecksAsLibphonenumberSays() throws NumberParseException {
        Random random = new Random(11);
        int plain = 0;
        for (int start = 100_000; start < 200_000; start++) {
            plain += parsesAsLibphonenumberSays(start + String.format("%05d", random.nextInt(100_000))) ? 1 : 0;
        }
        assertThat(plain).isEqualTo(69_000);
    }

    /**
     * Every five-digit beginning (China's mobile pattern reads at most five before its run of any digits) spelled as
     * channels deliver numbers: grouped by spaces, or after China's calling code.
     */
    @Test
    void everySpelledBeginningParsesAndChecksAsLibphonenumberSays() throws NumberParseException {
        Random random = new Random(13);
        int plain = 0;
        for (int start = 10_000; start < 20_000; start++) {
            String digits = start + String.format("%06d", random.nextInt(1_000_000));
            String grouped = digits.substring(0, 3) + " " + digits.substring(3, 7) + " " + digits.substring(7);
            for (String text : new String[] {grouped, "+86" + digits, "+86-" + digits, "+86 " + digits,
                "86 " + digits, "86-" + digits}) {
                plain += parsesAsLibphonenumberSays(text) ? 1 : 0;
            }
        }
        // and after +86 the beginning 10, read as a stored landline (11, 12 and 179 begin China's prefix for parsing)
        assertThat(plain).isEqualTo(6 * 6_900 + 1_000);
    }

    /** Every area code of two and three digits, with subscriber numbers of seven and eight random digits. */
    @Test
    void everyPlainLandlineParsesAndChecksAsLibphonenumberSays() throws NumberParseException {
        Random random = new Random(12);
        int plain = 0;
        for (int area = 10; area < 1000; area++) {
            for (int length : new int[] {7, 8}) {
                String subscriber = String.valueOf((long) (Math.pow(10, length - 1) * (1 + 9 * random.nextDouble())));
                String text = "0" + area + "-" + subscriber;
                assertThat(Contacts.plainChinese(text)).as(text).isNotNull()
                        .isEqualTo(PHONES.parse(text, Contacts.DEFAULT_REGION));
                assertSameAnswers(text);
                plain++;
            }
        }
        assertThat(plain).isEqualTo(1_980);
    }

    /**
     * The stored form, E.164 with China's calling code: every three-digit beginning, of every length from none to
     * beyond the longest national number, with random digits after it.
     */
    @Test
    void everyStoredBeginningParsesAndChecksAsLibphonenumberSays() throws NumberParseException {
        Random random = new Random(14);
        int read = 0;
        for (int start = 0; start < 1000; start++) {
            for (int length = 1; length <= 18; length++) {
                StringBuilder digits = new StringBuilder(String.format("%03d", start));
                while (digits.length() < length) {
                    digits.append(random.nextInt(10));
                }
                String national = digits.substring(0, length);
                boolean skipped = parsesAsLibphonenumberSays("+86" + national);
                read += skipped ? 1 : 0;
                if (skipped) {
                    assertThat(national.length()).isBetween(StoredPhones.SHORTEST, StoredPhones.LONGEST);
                }
            }
        }
        // no beginning 0, none that China's prefix for parsing begins (11…, 12…, 179…: 21), lengths 5 to 12
        assertThat(read).isEqualTo(8 * (900 - 21));
    }

    /** The metadata cim ships with lets the shortcut decide (else the comparisons above would prove nothing). */
    @Test
    void plainMobilesAreTypedByChinasGeneralAndMobilePatternsAlone() {
        assertThat(PlainMobiles.DECIDE).isTrue();
        assertThat(PlainMobiles.type("13812341234")).isEqualTo(PhoneNumberUtil.PhoneNumberType.MOBILE);
        assertThat(PlainMobiles.type("14012341234")).isEqualTo(PhoneNumberUtil.PhoneNumberType.UNKNOWN);
    }

    /** A type whose pattern could match some plain mobile keeps the decision with libphonenumber. */
    @Test
    void aPatternThatCouldMatchAPlainMobileIsNoticed() {
        assertThat(desc(List.of(11), "1[89]\\d{9}").neverMatchesAPlainMobile()).isFalse();
        assertThat(desc(List.of(), "(?:10|2\\d)\\d{8}|19\\d{9}").neverMatchesAPlainMobile()).isFalse();
        assertThat(desc(List.of(10, 11), "(?:10|2\\d)\\d{8}|[3-9]\\d{10}").neverMatchesAPlainMobile()).isTrue();
        assertThat(desc(List.of(8), "1[3-9]\\d{6}").neverMatchesAPlainMobile()).as("never eleven digits").isTrue();
        assertThat(new PlainMobiles.Desc(List.of(-1), null).neverMatchesAPlainMobile()).isTrue();
    }

    private static PlainMobiles.Desc desc(List<Integer> lengths, String pattern) {
        return new PlainMobiles.Desc(lengths, java.util.regex.Pattern.compile(pattern));
    }

    @Property(tries = 3000)
    void landlineLikeTextGetsTheAnswersOfAFullParse(@ForAll("landlineLike") String text) {
        assertSameAnswers(text);
    }

    @Property(tries = 3000)
    void elevenDigitsGetTheAnswersOfAFullParse(@ForAll("elevenDigits") String text) {
        assertSameAnswers(text);
    }

    @Test
    void otherTextIsLeftToTheParse() {
        for (String text : new String[] {"1381234123", "138123412345", "17951234567", "12593123456", "11812341234",
                "001-62345678", "010-623456", "010-623456789", "0-62345678", "01234-6234567", "010 62345678",
                "010-6234567x", "１３８１２３４１２３４", "138 1234 123", "1381 234 1234", "138  1234 1234", "+86--13812341234",
                "+8617951234567", "86 12593123456", "8613812341234", "+85213812341234", "+86 138 1234 1234",
                "1381234123x", "-", ""}) {
            assertThat(Contacts.plainChinese(text)).as(text).isNull();
            assertSameAnswers(text);
        }
    }

    /** The parse of the text, where Contacts skips it, and all the answers are libphonenumber's; true if skipped. */
    private static boolean parsesAsLibphonenumberSays(String text) throws NumberParseException {
        boolean skipped = Contacts.plainChinese(text) != null;
        if (skipped) {
            assertThat(Contacts.plainChinese(text)).as(text).isEqualTo(PHONES.parse(text, Contacts.DEFAULT_REGION));
        }
        assertSameAnswers(text);
        return skipped;
    }

    private static void assertSameAnswers(String text) {
        for (boolean mobile : new boolean[] {true, false}) {
            assertThat(Contacts.checked(text, mobile)).as(text).isEqualTo(Contacts.checkedByParsing(text, mobile));
        }
        assertThat(Contacts.checkMobile(text)).as(text).isEqualTo(Contacts.checkedByParsing(text, true).problem());
        assertThat(Contacts.checkLandline(text)).as(text).isEqualTo(Contacts.checkedByParsing(text, false).problem());
        assertThat(Contacts.e164(text)).as(text).isEqualTo(e164ByParsing(text));
    }

    private static Optional<String> e164ByParsing(String text) {
        try {
            return Optional.of(PHONES.format(PHONES.parse(text, Contacts.DEFAULT_REGION),
                    PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    @Provide
    Arbitrary<String> landlineLike() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(10);
        return net.jqwik.api.Combinators.combine(digits, Arbitraries.of("-", "-", "", " ", "--"), digits)
                .as((area, hyphen, subscriber) -> "0" + area + hyphen + subscriber);
    }

    @Provide
    Arbitrary<String> elevenDigits() {
        return Arbitraries.strings().numeric().ofLength(10).map(rest -> "1" + rest);
    }
}
