package cim.core.protect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskingRuleTest {
    @Test
    void theRulesOfTheSpec() {
        assertThat(MaskingRule.RESIDENT_ID.mask("11010519491231002X", false)).isEqualTo("1****************X");
        assertThat(MaskingRule.MOBILE.mask("13812341234", false)).isEqualTo("138****1234");
        assertThat(MaskingRule.MOBILE.mask("+8613812341234", false)).isEqualTo("138****1234");
        assertThat(MaskingRule.BANK_ACCOUNT.mask("6222020200112233445", false)).isEqualTo("***************3445");
        assertThat(MaskingRule.BANK_ACCOUNT.mask("[{\"bank\":\"ICBC\",\"number\":\"6222020200112233446\","
                + "\"name\":\"张三\",\"iban\":\"CN12345678\"}]", false))
                .as("each account's number to its last four, the holder by the name rule, the bank as it is")
                .contains("\"bank\":\"ICBC\"").contains("\"number\":\"***************3446\"")
                .contains("\"name\":\"张*\"").contains("\"iban\":\"******5678\"").doesNotContain("62220202");
        assertThat(MaskingRule.BANK_ACCOUNT.mask("[{\"type\":\"card 6222020200112233445\",\"bank\":\"ICBC "
                + "6222020200112233445\",\"currency\":\"CNY\"}]", false))
                .as("a number written into a value that stays shows its last four only").doesNotContain("62220202")
                .contains("\"currency\":\"CNY\"").contains("ICBC ***************3445");
        assertThat(MaskingRule.NAME.mask("张三丰", false)).isEqualTo("张**");
        assertThat(MaskingRule.NAME.mask("欧阳娜娜", false)).isEqualTo("欧阳**");
        assertThat(MaskingRule.NAME.mask("Zhang Wei", false)).isEqualTo("Zhang ***");
        assertThat(MaskingRule.NAME.mask("平安财产保险有限公司", true)).isEqualTo("平安****有限公司");
        assertThat(MaskingRule.ORG_ID.mask("91350100M000100Y43", false)).isEqualTo("91************0Y43");
        assertThat(MaskingRule.ADDRESS.mask("北京市海淀区中关村大街27号", false)).isEqualTo("北京市海淀区****");
        assertThat(MaskingRule.ADDRESS.mask("浙江省杭州市西湖路1号", false)).isEqualTo("浙江省杭州市****");
        assertThat(MaskingRule.EMAIL.mask("li.wei@example.cn", false)).isEqualTo("l***@example.cn");
        assertThat(MaskingRule.FIRST_CHAR.mask("wxid_abc123", false)).isEqualTo("w***");
        assertThat(MaskingRule.REDACT.mask("AAA", false)).isEqualTo("***");
        assertThat(MaskingRule.REDACT.mask(null, false)).isNull();
    }

    @Property
    void aResidentIdNeverShowsItsBirthDate(@ForAll @NumericChars @StringLength(18) String id) {
        String masked = MaskingRule.RESIDENT_ID.mask(id, false);
        assertThat(masked).hasSameSizeAs(id);
        assertThat(masked.substring(1, 17)).matches("\\*+");
        assertThat(masked.charAt(0)).isEqualTo(id.charAt(0));
        assertThat(masked.charAt(17)).isEqualTo(id.charAt(17));
    }

    @Property
    void aMobileShowsThreeAndFourDigits(@ForAll @NumericChars @StringLength(min = 8, max = 15) String mobile) {
        String masked = MaskingRule.MOBILE.mask(mobile, false);
        assertThat(masked).hasSameSizeAs(mobile);
        assertThat(masked.replace("*", "")).isEqualTo(mobile.substring(0, 3) + mobile.substring(mobile.length() - 4));
    }

    @Property
    void maskingHidesSomethingOfEveryLongerValue(@ForAll @AlphaChars @StringLength(min = 3, max = 40) String value) {
        for (MaskingRule rule : MaskingRule.values()) {
            assertThat(rule.mask(value, false)).as(rule.name()).isNotEqualTo(value).contains("*");
            assertThat(rule.mask(value, true)).as(rule.name()).isNotEqualTo(value).contains("*");
        }
    }

    @Test
    void profilesCoverTheirTiersAndUnmaskingNeedsAReason() {
        assertThat(MaskProfile.TIER1.masks(Tier.ONE)).isTrue();
        assertThat(MaskProfile.TIER1.masks(Tier.TWO)).isFalse();
        assertThat(MaskProfile.TIER2.masks(Tier.TWO)).isTrue();
        assertThat(MaskProfile.TIER2.masks(Tier.THREE)).isFalse();
        assertThat(MaskProfile.NONE.masks(Tier.ONE)).isFalse();
        MaskProfile.TIER1.requireReason(null);
        MaskProfile.NONE.requireReason("ticket 42");
        assertThatThrownBy(() -> MaskProfile.NONE.requireReason(" "))
                .isInstanceOfSatisfying(cim.core.CimException.class,
                        e -> assertThat(e.failure()).isEqualTo(cim.core.Failure.NOT_PERMITTED));
        assertThatThrownBy(() -> MaskProfile.parse("tier3")).hasMessageContaining("unknown masking profile");
    }
}
