package cim.core.quality;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in rules' readings without regular expressions give the expressions' answers. */
class CatalogueTest {
    @Property(tries = 20_000)
    void residentFormReadsAsTheExpression(@ForAll("idLike") String id) {
        assertThat(Catalogue.isResidentForm(id)).as(id).isEqualTo(Catalogue.RESIDENT_FORM.matcher(id).matches());
    }

    @Provide
    Arbitrary<String> idLike() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789Xx١２ ").ofMinLength(13).ofMaxLength(19),
                Arbitraries.strings().numeric().ofLength(17).map(body -> body + "X"),
                Arbitraries.strings().numeric().ofMinLength(14).ofMaxLength(18));
    }
}
