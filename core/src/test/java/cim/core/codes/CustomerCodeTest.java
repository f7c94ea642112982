package cim.core.codes;

import cim.core.CimException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomerCodeTest {
    @Test
    void codesHaveTypeSequenceAndCheck() {
        CustomerCode code = CustomerCode.of(false, 17);
        assertThat(code.value()).startsWith("P000000017").hasSize(11);
        assertThat(code.sequence()).isEqualTo(17);
        assertThat(code.organisation()).isFalse();
        assertThat(CustomerCode.of(true, 1).value()).startsWith("G000000001");
        assertThat(CustomerCode.parse(" " + code.value().toLowerCase() + " ")).isEqualTo(code);
    }

    @Test
    void aMistypedCodeIsAUsageErrorSuggestingTheClosestValidForm() {
        String good = CustomerCode.of(false, 17).value();
        char wrong = good.charAt(10) == '1' ? '2' : '1';
        assertThatThrownBy(() -> CustomerCode.parse(good.substring(0, 10) + wrong))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.getMessage()).contains("check character does not match");
                    assertThat(e.hint()).isEqualTo("did you mean " + good + "?");
                });
        assertThatThrownBy(() -> CustomerCode.parse("X123")).hasMessageContaining("4 characters");
    }

    @Property
    void anySingleMistypeOrSwapIsCaught(@ForAll @LongRange(min = 1, max = 999_999_999) long sequence,
            @ForAll boolean organisation, @ForAll @IntRange(min = 1, max = 10) int position,
            @ForAll @IntRange(min = 1, max = 9) int shift) {
        String code = CustomerCode.of(organisation, sequence).value();
        char[] typo = code.toCharArray();
        if (position <= 9) {
            typo[position] = (char) ('0' + (typo[position] - '0' + shift) % 10);
        } else {
            String checks = "0123456789X";
            typo[10] = checks.charAt((checks.indexOf(typo[10]) + shift) % 11);
        }
        assertThatThrownBy(() -> CustomerCode.parse(new String(typo))).isInstanceOf(CimException.class);
        if (position < 10 && code.charAt(position) != code.charAt(position + 1) && position + 1 < 10) {
            char[] swap = code.toCharArray();
            swap[position] = code.charAt(position + 1);
            swap[position + 1] = code.charAt(position);
            assertThatThrownBy(() -> CustomerCode.parse(new String(swap))).isInstanceOf(CimException.class);
        }
    }
}
