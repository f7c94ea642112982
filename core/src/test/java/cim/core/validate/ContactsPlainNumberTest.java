package cim.core.validate;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The parse Contacts skips for plain mobiles and landlines must be the one libphonenumber would have made. */
class ContactsPlainNumberTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** Every six-digit beginning (which decides China's number types) with random last five digits. */
    @Test
    void everyPlainBeginningParsesAndChecksAsLibphonenumberSays() throws NumberParseException {
        Random random = new Random(11);
        int plain = 0;
        for (int start = 100_000; start < 200_000; start++) {
            String text = start + String.format("%05d", random.nextInt(100_000));
            if (Contacts.plainChinese(text) != null) {
                plain++;
                assertThat(Contacts.plainChinese(text)).as(text).isEqualTo(PHONES.parse(text, Contacts.DEFAULT_REGION));
            }
            assertSameAnswers(text);
        }
        assertThat(plain).isEqualTo(69_000);
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
                "010-6234567x", "１３８１２３４１２３４", "138 1234 1234", "+8613812341234", "1381234123x", "-", ""}) {
            assertThat(Contacts.plainChinese(text)).as(text).isNull();
            assertSameAnswers(text);
        }
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
