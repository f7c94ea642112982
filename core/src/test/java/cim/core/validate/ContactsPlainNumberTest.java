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

/** The parse Contacts skips for plain eleven-digit numbers must be the one libphonenumber would have made. */
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

    @Property(tries = 3000)
    void elevenDigitsGetTheAnswersOfAFullParse(@ForAll("elevenDigits") String text) {
        assertSameAnswers(text);
    }

    @Test
    void otherTextIsLeftToTheParse() {
        for (String text : new String[] {"1381234123", "138123412345", "17951234567", "12593123456", "11812341234",
                "010-6234567", "１３８１２３４１２３４", "138 1234 1234", "+8613812341234", "1381234123x"}) {
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
    Arbitrary<String> elevenDigits() {
        return Arbitraries.strings().numeric().ofLength(10).map(rest -> "1" + rest);
    }
}
