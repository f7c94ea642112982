package cim.core.validate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validators a quality check runs on every record read their text char by char; each must give exactly the
 * answers of the regular expression, stream or formatter it replaced, kept here as the reference.
 */
class FastReadingTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
    /** Digits of other scripts (Character.isDigit takes them, \d does not), X, letters and separators. */
    private static final String ID_CHARACTERS = "0123456789012345678901234567890123456789X x١２-/.年";

    @Property(tries = 20_000)
    void residentIdChecksAsTheReference(@ForAll("idLike") String id) {
        assertThat(ResidentId.check(id, TODAY)).as(id).isEqualTo(Reference.check(id, TODAY));
    }

    /** Valid numbers of every province code and none, each with one character changed. */
    @Test
    void validNumbersAndTheirMistypingsCheckAsTheReference() {
        Random random = new Random(5);
        int valid = 0;
        for (int region = 0; region < 100; region++) {
            for (String prefix : new String[] {"", "9"}) {
                LocalDate birth = LocalDate.of(1900, 1, 1).plusDays(random.nextInt(46_000));
                String body = (prefix + String.format("%02d", region) + "0105").substring(0, 6)
                        + birth.format(DateTimeFormatter.BASIC_ISO_DATE) + String.format("%03d", random.nextInt(1000));
                String id = body + ResidentId.checkCharacter(body);
                valid += ResidentId.check(id, TODAY).isEmpty() ? 1 : 0;
                assertThat(ResidentId.check(id, TODAY)).as(id).isEqualTo(Reference.check(id, TODAY));
                for (int at = 0; at < 18; at++) {
                    char other = ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length()));
                    String mistyped = id.substring(0, at) + other + id.substring(at + 1);
                    assertThat(ResidentId.check(mistyped, TODAY)).as(mistyped)
                            .isEqualTo(Reference.check(mistyped, TODAY));
                }
            }
        }
        // the province codes, each with and without a leading 9; and 95…, whose region is read after the 9 (50)
        assertThat(valid).isEqualTo(2 * 35 + 1);
    }

    @Property(tries = 5_000)
    void birthDateInANumberReadsAsTheFormatterReadsIt(@ForAll("idLike") String id) {
        Object expected;
        try {
            expected = LocalDate.parse(id.substring(6, 14), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            expected = DateTimeParseException.class;
        }
        Object actual;
        try {
            actual = ResidentId.birthDate(id);
        } catch (DateTimeParseException e) {
            actual = DateTimeParseException.class;
        }
        assertThat(actual).as(id).isEqualTo(expected);
    }

    @Property(tries = 10_000)
    void eightCharacterDatesReadAsThePatternReadsThem(@ForAll("eightCharacters") String text) {
        assertThat(Dates.parse(text)).as(text).isEqualTo(Reference.parseDate(text));
    }

    @Property(tries = 20_000)
    void emailReadingAgreesWithTheExpression(@ForAll("emailLike") String text) {
        assertThat(Contacts.isEmail(text)).as(text).isEqualTo(Reference.EMAIL.matcher(text).matches());
    }

    @Test
    void emailExamples() {
        for (String good : new String[] {"li.wei@example.cn", "a@b.cn", "x+y@a-b.c-d.cn", "!#$%&'*+/=?^_`{|}~-@a.b"}) {
            assertThat(Contacts.isEmail(good)).as(good).isTrue();
            assertThat(Reference.EMAIL.matcher(good).matches()).as(good).isTrue();
        }
        for (String bad : new String[] {"", "@a.cn", "li@", "li@cn", "li@-a.cn", "li@a-.cn", "li@a..cn", "li@a.cn.",
            "li@.a.cn", "li@@a.cn", "l i@a.cn", "li@a.c_n", "李@a.cn", "li@a.cn@b.cn", "li@ａ.cn"}) {
            assertThat(Contacts.isEmail(bad)).as(bad).isFalse();
            assertThat(Reference.EMAIL.matcher(bad).matches()).as(bad).isFalse();
        }
    }

    @Provide
    Arbitrary<String> idLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(ID_CHARACTERS.toCharArray()).ofMinLength(14).ofMaxLength(19),
                Arbitraries.strings().numeric().ofLength(17).map(body -> body + ResidentId.checkCharacter(body)),
                Arbitraries.integers().between(0, 60_000).map(days -> {
                    String body = "110105" + LocalDate.of(1880, 1, 1).plusDays(days)
                            .format(DateTimeFormatter.BASIC_ISO_DATE) + "002";
                    return body + ResidentId.checkCharacter(body);
                }));
    }

    @Provide
    Arbitrary<String> eightCharacters() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789١２ -/").ofLength(8),
                Arbitraries.strings().numeric().ofLength(8));
    }

    @Provide
    Arbitrary<String> emailLike() {
        Arbitrary<String> part = Arbitraries.strings().withChars("ab9Z-._+!~@ 李ａ").ofMinLength(0).ofMaxLength(6);
        return Arbitraries.oneOf(Arbitraries.strings().withChars("ab9-.@_").ofMinLength(0).ofMaxLength(12),
                net.jqwik.api.Combinators.combine(part, part, part).as((local, domain, top) ->
                        local + "@" + domain + "." + top));
    }

    /** The code the readings replaced, as it was. */
    private static final class Reference {
        private static final Set<String> PROVINCES = Set.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
                "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61",
                "62", "63", "64", "65", "71", "81", "82", "83");
        private static final Pattern SEPARATED = Pattern.compile("(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?");
        private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
        static final Pattern EMAIL = Pattern.compile(
                "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                        + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

        static Optional<Problem> check(String id, LocalDate today) {
            if (id.length() != 18) {
                return problem(Problem.Kind.LENGTH, "an ID number has 18 characters, this one " + id.length());
            }
            if (!id.substring(0, 17).chars().allMatch(Character::isDigit)
                    || !(Character.isDigit(id.charAt(17)) || id.charAt(17) == 'X')) {
                return problem(Problem.Kind.CHARACTERS, "an ID number is 17 digits and a digit or X");
            }
            String region = id.charAt(0) == '9' ? id.substring(1, 3) : id.substring(0, 2);
            if (!PROVINCES.contains(region)) {
                return problem(Problem.Kind.REGION, "its region digits are no province code");
            }
            Optional<LocalDate> date = parseDate(id.substring(6, 14));
            Optional<Problem> birth = date.isEmpty() ? problem(Problem.Kind.DATE, "not a real date (use 1980-01-02)")
                    : date.get().isAfter(today) ? problem(Problem.Kind.DATE, "the birth date is in the future")
                    : date.get().getYear() < 1900 ? problem(Problem.Kind.DATE, "the birth date is before 1900")
                    : Optional.empty();
            if (birth.isPresent()) {
                return problem(Problem.Kind.DATE, date.isEmpty() ? "the birth date in it is not a real date"
                        : "the birth date in it is " + birth.get().message().replace("the birth date is ", ""));
            }
            if (id.charAt(17) != ResidentId.checkCharacter(id.substring(0, 17))) {
                return problem(Problem.Kind.CHECKSUM, "the check character does not match (ISO 7064 MOD 11-2)");
            }
            return Optional.empty();
        }

        /** Dates.parse for text that is not in the ISO form (which it read without a pattern before). */
        static Optional<LocalDate> parseDate(String text) {
            java.util.regex.Matcher m = SEPARATED.matcher(text.strip());
            if (!m.matches()) {
                m = COMPACT.matcher(text.strip());
                if (!m.matches()) {
                    return Optional.empty();
                }
            }
            try {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))));
            } catch (java.time.DateTimeException e) {
                return Optional.empty();
            }
        }

        private static Optional<Problem> problem(Problem.Kind kind, String message) {
            return Optional.of(Problem.of(kind, message));
        }
    }
}
