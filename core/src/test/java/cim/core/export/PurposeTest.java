package cim.core.export;

import cim.core.protect.CustomerField;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whom each purpose leaves out, and which refused channels a marketing export leaves empty. */
class PurposeTest {
    @Test
    void restrictedCustomersAreKeptForTheRetentionPurposeOnly() {
        assertThat(Purpose.MARKETING.leavesOut(true, null)).isTrue();
        assertThat(Purpose.SERVICE.leavesOut(true, null)).isTrue();
        assertThat(Purpose.REGULATORY.leavesOut(true, "{\"privacy\":\"withdrawn\"}")).isFalse();
    }

    @Test
    void preferencesWithdrawAPurpose() {
        String noMarketing = "{\"channel\":\"wechat\",\"privacy\":\"no-marketing\"}";
        assertThat(Purpose.MARKETING.leavesOut(false, noMarketing)).isTrue();
        assertThat(Purpose.SERVICE.leavesOut(false, noMarketing)).isFalse();
        assertThat(Purpose.MARKETING.leavesOut(false, "[{\"consent\":[\"拒绝营销\"]}]")).isTrue();
        assertThat(Purpose.SERVICE.leavesOut(false, "{\"privacy\":\"撤回同意\"}")).isTrue();
        assertThat(Purpose.MARKETING.leavesOut(false, "privacy=no-marketing")).as("in words").isTrue();
        assertThat(Purpose.MARKETING.leavesOut(false, "{\"channel\":\"wechat\"}")).isFalse();
        assertThat(Purpose.MARKETING.leavesOut(false, null)).isFalse();
        // booleans and nested documents
        assertThat(Purpose.MARKETING.leavesOut(false, "{\"marketing\":false}")).isTrue();
        assertThat(Purpose.SERVICE.leavesOut(false, "{\"marketing\":false}")).isFalse();
        assertThat(Purpose.SERVICE.leavesOut(false, "{\"consent\":false}")).isTrue();
        assertThat(Purpose.MARKETING.leavesOut(false, "{\"privacy\":{\"sms\":\"no-marketing\"}}")).isTrue();
        assertThat(Purpose.MARKETING.leavesOut(false, "{\"隐私\":\"拒绝营销\"}")).isTrue();
    }

    @Test
    void refusedChannelsAreLeftEmptyInMarketingOnly() {
        String refused = "{\"refused_channels\":[\"SMS\",\"email\",\"mail\"]}";
        assertThat(Purpose.MARKETING.withheld(refused)).containsExactlyInAnyOrder(CustomerField.MOBILE,
                CustomerField.EMAIL, CustomerField.ADDRESS, CustomerField.POSTAL_CODE);
        assertThat(Purpose.SERVICE.withheld(refused)).isEmpty();
        assertThat(Purpose.MARKETING.withheld("{\"refused_channels\":[\"短信\",\"微信\"]}"))
                .containsExactlyInAnyOrder(CustomerField.MOBILE, CustomerField.WECHAT);
        assertThat(Purpose.parse(" Marketing ")).isEqualTo(Purpose.MARKETING);
    }
}
