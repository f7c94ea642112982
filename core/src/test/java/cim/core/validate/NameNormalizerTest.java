package cim.core.validate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Blanks typed inside a Chinese name are not part of it: 梁 健 and 梁健 are one name; Latin words keep theirs. */
class NameNormalizerTest {
    @Test
    void aBlankBetweenChineseCharactersIsDropped() {
        assertThat(Normalizer.name("梁 健")).isEqualTo("梁健");
        assertThat(Normalizer.name(" 欧阳\u3000 娜娜 ")).as("full-width and runs of blanks").isEqualTo("欧阳娜娜");
        assertThat(Normalizer.name("Li  Wei")).isEqualTo("Li Wei");
        assertThat(Normalizer.name("华信 Technology 有限公司")).isEqualTo("华信 Technology 有限公司");
        assertThat(Normalizer.name("梁健")).isEqualTo("梁健");
        assertThat(Normalizer.name("  ")).isNull();
    }
}
