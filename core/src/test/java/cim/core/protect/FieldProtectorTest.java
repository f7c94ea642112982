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
    private static final String ROW = FieldProtector.row("agent", "A1");

    @Property
    void sealThenOpenGivesTheValueBack(@ForAll String value) {
        String sealed = PROTECTOR.seal(CustomerField.ID_NUMBER, ROW, value);
        assertThat(FieldProtector.isSealed(sealed)).isTrue();
        assertThat(sealed).doesNotContain(value.length() > 3 ? value : "\u0000never");
        assertThat(PROTECTOR.open(CustomerField.ID_NUMBER, ROW, sealed)).isEqualTo(value);
        String twice = PROTECTOR.seal(CustomerField.ID_NUMBER, ROW, sealed);
        assertThat(twice).as("input is data: a sealed-looking value is sealed as text").isNotEqualTo(sealed);
        assertThat(PROTECTOR.open(CustomerField.ID_NUMBER, ROW, twice)).isEqualTo(sealed);
    }

    /** A clear value is stored as it is, or behind the escape when it begins like a marked one; it reads back. */
    @Property
    void aClearValueReadsBackWhateverItBeginsWith(@ForAll String value) {
        for (String text : new String[] {value, "cim1:" + value, "cim2:" + value, "cim0:" + value, "cimX:" + value}) {
            String stored = FieldProtector.escaped(text);
            assertThat(FieldProtector.isSealed(stored)).isFalse();
            assertThat(PROTECTOR.open(CustomerField.NAME, ROW, stored)).isEqualTo(text);
        }
        assertThat(FieldProtector.escaped("cim: x")).isEqualTo("cim: x");
    }

    @Test
    void aValueMovedToAnotherRecordDoesNotDecrypt() {
        String sealed = PROTECTOR.seal(CustomerField.MOBILE, ROW, "+8613812345678");
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, FieldProtector.row("agent", "A2"), sealed))
                .isInstanceOf(FieldProtector.Unreadable.class).hasMessageContaining("moved from another");
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, FieldProtector.row("agen", "t/A1"), sealed))
                .as("channel and key are not one string").isInstanceOf(FieldProtector.Unreadable.class);
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, null, sealed))
                .isInstanceOf(FieldProtector.Unreadable.class).hasMessageContaining("names no record");
    }

    /** Values sealed before rows were bound (cim1:, field only) still open, and a rotation re-seals them bound. */
    @Test
    void aValueInTheFormatBeforeRowsWereBoundOpensUntilResealed() throws Exception {
        byte[] legacy = KEYRING.aead().encrypt("+8613812345678".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "mobile".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String old = FieldProtector.LEGACY_PREFIX + java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(legacy);
        assertThat(PROTECTOR.open(CustomerField.MOBILE, ROW, old)).isEqualTo("+8613812345678");
        String resealed = PROTECTOR.reseal("mobile", ROW, old);
        assertThat(resealed).startsWith(FieldProtector.SEALED_PREFIX);
        assertThat(PROTECTOR.open(CustomerField.MOBILE, ROW, resealed)).isEqualTo("+8613812345678");
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, FieldProtector.row("agent", "A2"), resealed))
                .isInstanceOf(FieldProtector.Unreadable.class);
        assertThat(PROTECTOR.reseal("mobile", ROW, resealed)).isSameAs(resealed);
    }

    @Test
    void aGoldenRecordsValuesAreBoundToTheirSuppliers() {
        var rows = FieldProtector.goldenRows("{\"*\":\"agent/A1#3\",\"mobile\":\"web/a#b/c#12\"}", "P1");
        assertThat(rows.apply(CustomerField.ID_NUMBER)).isEqualTo("agent/A1");
        assertThat(rows.apply(CustomerField.MOBILE)).isEqualTo("web/a#b/c");
        assertThat(FieldProtector.goldenRows(null, "P1").apply(CustomerField.MOBILE)).as("names no supplier")
                .isEqualTo(FieldProtector.customerRow("P1"));
        assertThat(FieldProtector.goldenRows("not json", "P1").apply(CustomerField.MOBILE)).as("altered")
                .isEqualTo(FieldProtector.customerRow("P1"));
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
        String sealed = PROTECTOR.seal(CustomerField.ID_NUMBER, ROW, "11010519491231002X");
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.MOBILE, ROW, sealed)).isInstanceOf(CimException.class)
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void rotationKeepsOldValuesReadableAndResealsThemUnderTheNewKey() {
        String old = PROTECTOR.seal(CustomerField.EMAIL, ROW, "a@b.cn");
        Keyring rotated = KEYRING.rotated();
        FieldProtector next = new FieldProtector(rotated);
        assertThat(rotated.primaryEncryptionKey()).isNotEqualTo(KEYRING.primaryEncryptionKey());
        assertThat(rotated.encryptionKeys()).contains(KEYRING.primaryEncryptionKey());
        assertThat(rotated.blindIndexKey()).isEqualTo(KEYRING.blindIndexKey());
        assertThat(FieldProtector.keyIdOf(old)).isEqualTo(KEYRING.primaryEncryptionKey());
        String resealed = next.reseal("email", ROW, old);
        assertThat(FieldProtector.keyIdOf(resealed)).isEqualTo(rotated.primaryEncryptionKey());
        assertThat(next.open(CustomerField.EMAIL, ROW, resealed)).isEqualTo("a@b.cn");
        assertThat(next.reseal("email", ROW, resealed)).isSameAs(resealed);
        assertThatThrownBy(() -> PROTECTOR.open(CustomerField.EMAIL, ROW, resealed))
                .hasMessageContaining("which this keyset does not have");
    }

    @Test
    void theKeysetFileRoundTrips() {
        Keyring read = Keyring.fromJson(KEYRING.toJson(), "test");
        assertThat(new FieldProtector(read).open(CustomerField.EMAIL, ROW,
                PROTECTOR.seal(CustomerField.EMAIL, ROW, "x@y.cn")))
                .isEqualTo("x@y.cn");
        assertThatThrownBy(() -> Keyring.fromJson("{\"x\":1}", "f.json")).hasMessageContaining("not a cim keyset");
    }
}
