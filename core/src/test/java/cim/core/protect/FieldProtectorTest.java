package cim.core.protect;

import cim.core.CimException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldProtectorTest {
    private static final Keyring KEYRING = Keyring.generate();
    private static final FieldProtector PROTECTOR = new FieldProtector(KEYRING);

    @Property
    void sealThenOpenGivesTheValueBack(@ForAll String value) {
        String sealed = PROTECTOR.seal(CustomerField.ID_NUMBER, value);
        assertThat(FieldProtector.isSealed(sealed)).isTrue();
        assertThat(sealed).doesNotContain(value.length() > 3 ? value : "\u0000never");
        assertThat(PROTECTOR.open(CustomerField.ID_NUMBER, sealed)).isEqualTo(value);
        assertThat(PROTECTOR.seal(CustomerField.ID_NUMBER, sealed)).as("sealing twice changes nothing")
                .isEqualTo(sealed);
    }

    @Property
    void theBlindIndexIsStableAndSeparatesFields(@ForAll String value) {
        assertThat(PROTECTOR.blindIndex(CustomerField.EMAIL, value))
                .isEqualTo(PROTECTOR.blindIndex(CustomerField.EMAIL, value)).hasSize(32)
                .isNotEqualTo(PROTECTOR.blindIndex(CustomerField.WECHAT, value));
    }

    /**
     * The 64-bit keyed hash is the first 16 hex digits of the keyed hash: the matcher's keys migrated from text to
     * numbers (schema version 11) are those it computes now.
     */
    @Property
    void theKeyedBitsAreTheFirstSixtyFourBitsOfTheKeyedHash(@ForAll String value) {
        assertThat(PROTECTOR.keyedBits("match_key", value))
                .isEqualTo(Long.parseUnsignedLong(PROTECTOR.keyedHash("match_key", value).substring(0, 16), 16))
                .isNotEqualTo(PROTECTOR.keyedBits("another", value));
    }

    @Test
    void theBlindIndexSeesThroughWritingVariants() {
        assertThat(PROTECTOR.blindIndex(CustomerField.ID_NUMBER, " １１０１０５１９４９１２３１００２x "))
                .isEqualTo(PROTECTOR.blindIndex(CustomerField.ID_NUMBER, "11010519491231002X"));
        assertThat(PROTECTOR.blindIndex(CustomerField.ID_NUMBER, "110105491231002"))
                .as("a legacy 15-digit number finds its 18-digit form")
                .isEqualTo(PROTECTOR.blindIndex(CustomerField.ID_NUMBER, "11010519491231002X"));
        assertThat(PROTECTOR.blindIndex(CustomerField.MOBILE, "138 1234 1234"))
                .isEqualTo(PROTECTOR.blindIndex(CustomerField.MOBILE, "+8613812341234"));
        assertThat(PROTECTOR.blindIndex(CustomerField.EMAIL, "Li.Wei@Example.CN"))
                .isEqualTo(PROTECTOR.blindIndex(CustomerField.EMAIL, "li.wei@example.cn"));
        assertThat(new FieldProtector(Keyring.generate()).blindIndex(CustomerField.EMAIL, "a@b.cn"))
                .as("another key, another index").isNotEqualTo(PROTECTOR.blindIndex(CustomerField.EMAIL, "a@b.cn"));
    }

    @Test
    void aValueMovedToAnotherFieldDoesNotDecrypt() {
        String sealed = PROTECTOR.seal(CustomerField.ID_NUMBER, "11010519491231002X");
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, sealed)).isInstanceOf(CimException.class)
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void rotationKeepsOldValuesReadableAndResealsThemUnderTheNewKey() {
        String old = PROTECTOR.seal(CustomerField.EMAIL, "a@b.cn");
        Keyring rotated = KEYRING.rotated();
        FieldProtector next = new FieldProtector(rotated);
        assertThat(rotated.primaryEncryptionKey()).isNotEqualTo(KEYRING.primaryEncryptionKey());
        assertThat(rotated.encryptionKeys()).contains(KEYRING.primaryEncryptionKey());
        assertThat(rotated.blindIndexKey()).isEqualTo(KEYRING.blindIndexKey());
        assertThat(FieldProtector.keyIdOf(old)).isEqualTo(KEYRING.primaryEncryptionKey());
        String resealed = next.reseal("email", old);
        assertThat(FieldProtector.keyIdOf(resealed)).isEqualTo(rotated.primaryEncryptionKey());
        assertThat(next.open(CustomerField.EMAIL, resealed)).isEqualTo("a@b.cn");
        assertThat(next.reseal("email", resealed)).isSameAs(resealed);
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.EMAIL, resealed))
                .hasMessageContaining("which this keyset does not have");
    }

    @Test
    void theKeysetFileRoundTrips() {
        Keyring read = Keyring.fromJson(KEYRING.toJson(), "test");
        assertThat(new FieldProtector(read).open(CustomerField.EMAIL, PROTECTOR.seal(CustomerField.EMAIL, "x@y.cn")))
                .isEqualTo("x@y.cn");
        assertThatThrownBy(() -> Keyring.fromJson("{\"x\":1}", "f.json")).hasMessageContaining("not a cim keyset");
    }
}
