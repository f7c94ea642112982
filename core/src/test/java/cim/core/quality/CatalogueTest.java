package cim.core.quality;

import cim.core.protect.CustomerField;
import cim.core.validate.ResidentId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in rules' readings without regular expressions give the expressions' answers; the ID check's cache. */
class CatalogueTest {
    /** The expression isResidentForm replaced. */
    private static final Pattern RESIDENT_FORM = Pattern.compile("\\d{17}[\\dX]|\\d{15}");

    @Property(tries = 20_000)
    void residentFormReadsAsTheExpression(@ForAll("idLike") String id) {
        assertThat(Catalogue.isResidentForm(id)).as(id).isEqualTo(RESIDENT_FORM.matcher(id).matches());
    }

    /** An ID number is checked once per day asked: a birth date in it that is tomorrow today is not in a week. */
    @Test
    void aRecordsIdNumberIsCheckedForTheDayAsked() {
        LocalDate today = LocalDate.of(2026, 12, 8);
        String body = "110105" + "20261209" + "002";
        QualityRecord record = QualityRecord.of("P1", false,
                Map.of(CustomerField.ID_NUMBER, body + ResidentId.checkCharacter(body)));
        assertThat(record.residentIdProblem(today)).isPresent();
        assertThat(record.residentIdProblem(today.plusDays(7))).isEmpty();
        assertThat(record.residentIdProblem(today)).isPresent();
    }

    @Provide
    Arbitrary<String> idLike() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789Xx١２ ").ofMinLength(13).ofMaxLength(19),
                Arbitraries.strings().numeric().ofLength(17).map(body -> body + "X"),
                Arbitraries.strings().numeric().ofMinLength(14).ofMaxLength(18));
    }
}
