package cim.core.validate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The corrections cleansing makes, and what it leaves alone. */
class CleanserTest {
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"男,M", "女,F", "M,M", "f,F", "1,M", "2,F", "Male,M", "female,F",
        "先生,M", "男性,M", "女性,F", "X,null", "未知,null", "0,null", "9,null"})
    void genderBecomesMOrF(String given, String cleansed) {
        assertThat(Cleanser.gender(given)).isEqualTo(cleansed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "北京市北京市海淀区中关村大街27号|北京市海淀区中关村大街27号",
        "广东省广东省广东省广州市天河区|广东省广州市天河区",
        "上海市 浦东新区  世纪大道100号|上海市浦东新区世纪大道100号",
        "北京市海淀区中关村大街27号|北京市海淀区中关村大街27号",
        "Room 5, 北京市海淀区|Room 5, 北京市海淀区",
        "广东省广州市广州市天河区|广东省广州市广州市天河区",
    })
    void addressNoiseGoes(String given, String cleansed) {
        assertThat(Cleanser.address(given)).isEqualTo(cleansed);
    }
}
