package cim.core.validate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatorsTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private static Problem.Kind kind(Optional<Problem> problem) {
        return problem.map(Problem::kind).orElse(null);
    }

    @Test
    void publishedWorkedExamples() {
        assertThat(ResidentId.check("11010519491231002X", TODAY)).isEmpty();
        assertThat(ResidentId.gender("11010519491231002X")).isEqualTo("F");
        assertThat(ResidentId.birthDate("11010519491231002X")).isEqualTo(LocalDate.of(1949, 12, 31));
        assertThat(ResidentId.fromLegacy("110105491231002")).isEqualTo("11010519491231002X");
        assertThat(OrganisationCode.checkCharacter("D2143569")).isEqualTo('X');
        assertThat(OrganisationCode.check("D2143569X")).isEmpty();
        assertThat(CreditCode.check("91350100M000100Y43")).isEmpty();
        assertThat(CreditCode.organisationCode("91350100M000100Y43")).isEqualTo("M000100Y4");
        assertThat(Contacts.checkBankCard("4111111111111111")).isEmpty();
        assertThat(Contacts.checkMobile("13812341234")).isEmpty();
        assertThat(Contacts.checkLandline("010-62345678")).isEmpty();
        assertThat(Contacts.checkEmail("li.wei@example.cn")).isEmpty();
        assertThat(Contacts.checkPostalCode("100085")).isEmpty();
    }

    @Test
    void eachFaultHasItsReason() {
        assertThat(kind(ResidentId.check("11010519491231002", TODAY))).isEqualTo(Problem.Kind.LENGTH);
        assertThat(kind(ResidentId.check("1101051949123100AX", TODAY))).isEqualTo(Problem.Kind.CHARACTERS);
        assertThat(kind(ResidentId.check("99010519491231002X", TODAY))).isEqualTo(Problem.Kind.REGION);
        assertThat(kind(ResidentId.check("110105" + "19490230" + "0021", TODAY))).isEqualTo(Problem.Kind.DATE);
        assertThat(kind(ResidentId.check("110105" + "20300101" + "0021", TODAY))).isEqualTo(Problem.Kind.DATE);
        assertThat(kind(ResidentId.check("110105194912310021", TODAY))).isEqualTo(Problem.Kind.CHECKSUM);
        assertThat(ResidentId.check("110105194912310021", TODAY).get().message()).doesNotContain("1949");
        assertThat(ResidentId.check("77010519491231002X", TODAY).get().message()).as("nor its region digits")
                .doesNotContain("77");
        assertThat(Dates.checkBirthDate("1990-02-30", TODAY).get().message()).doesNotContain("1990-02-30");
        assertThat(kind(CreditCode.check("91350100M000100Y4I"))).isEqualTo(Problem.Kind.CHARACTERS);
        assertThat(kind(CreditCode.check("91350100M000100Y44"))).isEqualTo(Problem.Kind.CHECKSUM);
        assertThat(kind(OrganisationCode.check("D21435691"))).isEqualTo(Problem.Kind.CHECKSUM);
        assertThat(kind(Contacts.checkMobile("1381234123"))).isEqualTo(Problem.Kind.LENGTH);
        assertThat(kind(Contacts.checkMobile("010-62345678"))).isEqualTo(Problem.Kind.FORMAT);
        assertThat(kind(Contacts.checkEmail("li.wei@"))).isEqualTo(Problem.Kind.FORMAT);
        assertThat(kind(Contacts.checkPostalCode("10008"))).isEqualTo(Problem.Kind.LENGTH);
        assertThat(kind(Contacts.checkPostalCode("90008A"))).isEqualTo(Problem.Kind.CHARACTERS);
        assertThat(kind(Contacts.checkBankCard("4111111111111112"))).isEqualTo(Problem.Kind.CHECKSUM);
    }

    @Test
    void normalisationMakesTheUsualVariantsEqual() {
        assertThat(Normalizer.idNumber(" １１０１０５１９４９１２３１００２x ")).isEqualTo("11010519491231002X");
        assertThat(Normalizer.idNumber("110105491231002")).isEqualTo("11010519491231002X");
        assertThat(Normalizer.phone("138 1234 1234")).isEqualTo("+8613812341234");
        assertThat(Normalizer.phone("+86 138-1234-1234")).isEqualTo("+8613812341234");
        assertThat(Normalizer.email(" Li.Wei@Example.CN ")).isEqualTo("li.wei@example.cn");
        assertThat(Normalizer.code("D2143569-x")).isEqualTo("D2143569X");
        assertThat(Normalizer.date("1980/1/2")).isEqualTo("1980-01-02");
        assertThat(Normalizer.date("19800102")).isEqualTo("1980-01-02");
        assertThat(Normalizer.date("1980年1月2日")).isEqualTo("1980-01-02");
        assertThat(Normalizer.date("1980-02-30")).as("not silently corrected").isEqualTo("1980-02-30");
        assertThat(Normalizer.text("   ")).isNull();
    }

    @Provide
    Arbitrary<String> residentIdBodies() {
        Arbitrary<String> province = Arbitraries.of("11", "31", "44", "51", "65", "81", "83");
        Arbitrary<String> rest = Arbitraries.strings().numeric().ofLength(4);
        Arbitrary<LocalDate> birth = Arbitraries.integers().between(0, 40_000)
                .map(d -> LocalDate.of(1910, 1, 1).plusDays(d));
        Arbitrary<String> seq = Arbitraries.strings().numeric().ofLength(3);
        return Combinators.combine(province, rest, birth, seq).as((p, r, b, s) ->
                p + r + b.toString().replace("-", "") + s);
    }

    @Property
    void aComputedCheckCharacterValidatesAndAnyDigitChangeIsCaught(@ForAll("residentIdBodies") String body,
            @ForAll @IntRange(min = 0, max = 16) int position, @ForAll @IntRange(min = 1, max = 9) int shift) {
        String id = body + ResidentId.checkCharacter(body);
        assertThat(ResidentId.check(id, TODAY)).isEmpty();
        char changed = (char) ('0' + (body.charAt(position) - '0' + shift) % 10);
        String mistyped = body.substring(0, position) + changed + body.substring(position + 1) + id.charAt(17);
        assertThat(ResidentId.check(mistyped, TODAY)).isPresent();
    }

    @Provide
    Arbitrary<String> creditCodeBodies() {
        Arbitrary<Character> symbol = Arbitraries.of(CreditCode.ALPHABET.chars().mapToObj(c -> (char) c).toList());
        Arbitrary<String> region = Arbitraries.strings().numeric().ofLength(6);
        Arbitrary<String> org = symbol.list().ofSize(8).map(l -> l.stream().map(String::valueOf)
                .reduce("", String::concat)).filter(b -> CreditCode.ALPHABET.indexOf(OrganisationCode.checkCharacter(b)) >= 0);
        return Combinators.combine(symbol, symbol, region, org).as((a, b, r, o) ->
                "" + a + b + r + o + OrganisationCode.checkCharacter(o));
    }

    @Property
    void aCreditCodeCatchesAnySingleSubstitution(@ForAll("creditCodeBodies") String body,
            @ForAll @IntRange(min = 0, max = 16) int position, @ForAll @IntRange(min = 1, max = 30) int shift) {
        String code = body + CreditCode.checkCharacter(body);
        assertThat(CreditCode.check(code)).isEmpty();
        int index = (CreditCode.ALPHABET.indexOf(body.charAt(position)) + shift) % 31;
        String mistyped = body.substring(0, position) + CreditCode.ALPHABET.charAt(index) + body.substring(position + 1)
                + code.charAt(17);
        assertThat(CreditCode.check(mistyped)).isPresent();
    }

    @Property
    void normalisingTwiceChangesNothing(@ForAll String value) {
        assertThat(Normalizer.idNumber(Normalizer.idNumber(value))).isEqualTo(Normalizer.idNumber(value));
        assertThat(Normalizer.email(Normalizer.email(value))).isEqualTo(Normalizer.email(value));
        assertThat(Normalizer.phone(Normalizer.phone(value))).isEqualTo(Normalizer.phone(value));
        assertThat(Normalizer.date(Normalizer.date(value))).isEqualTo(Normalizer.date(value));
    }

    @Property
    void datesRoundTrip(@ForAll @IntRange(min = 0, max = 60_000) int days) {
        LocalDate date = LocalDate.of(1900, 1, 1).plusDays(days);
        assertThat(Dates.parse(date.toString())).contains(date);
        assertThat(Dates.parse(date.toString().replace("-", ""))).contains(date);
        assertThat(Dates.parse(date.getYear() + "/" + date.getMonthValue() + "/" + date.getDayOfMonth())).contains(date);
    }

    /** Every character of the ranges Normalizer leaves as they are is its own NFKC form, alone and in company. */
    @Test
    void textLeftUnnormalisedIsItsOwnNfkcForm() {
        StringBuilder all = new StringBuilder();
        for (int code = 0; code <= 0xFFFF; code++) {
            char c = (char) code;
            if (Normalizer.isOwnNfkc(String.valueOf(c))) {
                assertThat(java.text.Normalizer.isNormalized(String.valueOf(c), java.text.Normalizer.Form.NFKC))
                        .as("U+%04X", (int) c).isTrue();
                all.append(c).append('a').append(c);
            }
        }
        assertThat(java.text.Normalizer.normalize(all, java.text.Normalizer.Form.NFKC)).isEqualTo(all.toString());
        assertThat(Normalizer.isOwnNfkc("张三 Room 1")).isTrue();
        assertThat(Normalizer.isOwnNfkc("１３８")).isFalse();
        assertThat(Normalizer.isOwnNfkc("\uF900")).as("a compatibility ideograph").isFalse();
    }

    /** The ISO form is read without the pattern; any other spelling of the same day must read the same. */
    @Property
    void isoDatesReadAsTheirOtherSpellings(@ForAll @IntRange(min = 0, max = 9999) int year,
                                           @ForAll @IntRange(min = 0, max = 99) int month,
                                           @ForAll @IntRange(min = 0, max = 99) int day) {
        String iso = String.format("%04d-%02d-%02d", year, month, day);
        assertThat(Dates.parse(iso)).isEqualTo(Dates.parse(iso.replace('-', '/')))
                .isEqualTo(Dates.parse(iso.replace("-", "")));
        assertThat(Dates.parse(" " + iso)).isEqualTo(Dates.parse(iso));
    }

    /** check() takes "has a type" for validity; it must agree with libphonenumber's own isValidNumber. */
    @Property(tries = 3000)
    void aPhoneIsValidExactlyWhenLibphonenumberSaysSo(@ForAll("phoneLike") String text) throws Exception {
        var phones = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        boolean valid;
        try {
            valid = phones.isValidNumber(phones.parse(text, Contacts.DEFAULT_REGION));
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            valid = false;
        }
        boolean lengthOrPrefix = Contacts.checked(text, false).problem()
                .filter(p -> p.message().contains("wrong length or prefix")).isPresent();
        boolean unparsable = Contacts.checked(text, false).problem()
                .filter(p -> p.message().equals("not a phone number")).isPresent();
        assertThat(!lengthOrPrefix && !unparsable).isEqualTo(valid);
    }

    @Provide
    Arbitrary<String> phoneLike() {
        Arbitrary<String> prefix = Arbitraries.of("", "", "1", "13", "15", "18", "17", "19", "010", "021", "0755",
                "+86", "+8613", "+1", "+44", "+852", "400", "800", "0");
        return Combinators.combine(prefix, Arbitraries.strings().numeric().ofMinLength(3).ofMaxLength(12))
                .as(String::concat);
    }

    /** Bank cards in a person's accounts pass the Luhn check; an organisation's account numbers have no check digit. */
    @org.junit.jupiter.api.Test
    void accountsCardsPassTheLuhnCheck() {
        String bad = "[{\"bank\":\"ICBC\",\"number\":\"6222020200112233445\"}]";
        assertThat(Contacts.checkAccounts(bad, false)).hasValueSatisfying(p -> assertThat(p.toString())
                .contains("account 1").contains("Luhn").doesNotContain("6222"));
        assertThat(Contacts.checkAccounts(bad.replace("445", "446"), false)).isEmpty();
        assertThat(Contacts.checkAccounts(bad, true)).as("a corporate account").isEmpty();
        assertThat(Contacts.checkAccounts(bad.replace("\"number\"", "\"card_no\""), true)).isPresent();
        assertThat(Contacts.checkAccounts("[{\"number\":\"62-22x\"}]", false)).isPresent();
    }
}
