package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class MatchingTest {
    private static final FieldProtector PROTECTOR = new FieldProtector(Keyring.generate());
    private static long ids;

    static MatchRecord person(String name, String id, String birth, String gender, String mobile, String address) {
        SourceRecordRecord r = new SourceRecordRecord();
        r.setId(++ids);
        r.setSourceSystem("test");
        r.setSourceKey("k" + ids);
        r.setCustomerType("PERSON");
        r.setName(name);
        r.setIdNumber(id);
        r.setBirthDate(birth);
        r.setGender(gender);
        r.setMobile(mobile);
        r.setAddress(address);
        r.setLoadedAt(OffsetDateTime.now());
        return MatchRecord.of(r, PROTECTOR);
    }

    @Test
    void namesCompareByCharactersAndBySound() {
        assertThat(ChineseName.comparePersons("张伟", "张伟")).isEqualTo(ChineseName.Agreement.EXACT);
        assertThat(ChineseName.comparePersons("张伟", "章玮")).isEqualTo(ChineseName.Agreement.SOUND_ALIKE);
        assertThat(ChineseName.comparePersons(ChineseName.clean("張偉"), "张伟"))
                .as("traditional and simplified forms read alike").isEqualTo(ChineseName.Agreement.SOUND_ALIKE);
        assertThat(ChineseName.comparePersons(ChineseName.clean("张 伟"), "张伟")).isEqualTo(ChineseName.Agreement.EXACT);
        assertThat(ChineseName.comparePersons("张建国", "张建华")).isEqualTo(ChineseName.Agreement.SIMILAR);
        assertThat(ChineseName.comparePersons("张伟", "张丽")).as("a family member")
                .isEqualTo(ChineseName.Agreement.OTHER_GIVEN_NAME);
        assertThat(ChineseName.comparePersons("张伟", "李伟")).isEqualTo(ChineseName.Agreement.DIFFERENT);
        assertThat(ChineseName.surnameLength("欧阳娜娜")).isEqualTo(2);
        assertThat(ChineseName.comparePersons("欧阳娜", "欧阳丽")).isEqualTo(ChineseName.Agreement.OTHER_GIVEN_NAME);
        assertThat(ChineseName.sound("张伟")).isEqualTo("zhang wei");
        assertThat(ChineseName.cleanOrganisation("北京华信科技有限公司")).isEqualTo("北京华信科技");
    }

    @Test
    void theSameValidIdNumberLinksWhateverElseDiffers() {
        MatchRecord a = person("张伟", "11010519491231002X", null, null, null, null);
        MatchRecord b = person("章玮", "11010519491231002X", null, null, "+8613800000000", null);
        Comparison.Verdict verdict = Comparison.compare(a, b);
        assertThat(verdict.deterministic()).isTrue();
        assertThat(verdict.rule()).isEqualTo("id_number");
    }

    @Test
    void differentValidIdNumbersAreNeverLinked() {
        MatchRecord a = person("张伟", "11010519491231002X", "1949-12-31", "F", "+8613800000000", "北京市朝阳区中山路1号");
        MatchRecord b = person("张伟", "110105194912310021", "1949-12-31", "F", "+8613800000000", "北京市朝阳区中山路1号");
        assertThat(Comparison.compare(a, b).conflict()).isTrue();
    }

    @Test
    void aFamilyMemberSharingPhoneAndAddressIsNotEnough() {
        MatchRecord holder = person("王建国", null, null, "男", "+8613800000000", "北京市朝阳区中山路1号");
        MatchRecord wife = person("王秀英", null, null, "女", "+8613800000000", "北京市朝阳区中山路1号");
        Comparison.Verdict verdict = Comparison.compare(holder, wife);
        assertThat(verdict.conflict()).isFalse();
        assertThat(verdict.score()).isLessThan(CodeAssigner.Thresholds.DEFAULT.review());
        MatchRecord son = person("王强", null, null, "男", "+8613800000000", "北京市朝阳区中山路1号");
        assertThat(Comparison.compare(holder, son).score()).isLessThan(CodeAssigner.Thresholds.DEFAULT.review());
    }

    @Test
    void aProspectWithoutIdLinksByNameMobileAndAddress() {
        MatchRecord full = person("刘芳", "110105198001020024", "1980-01-02", "女", "+8613912345678",
                "北京市朝阳区中山路8号");
        MatchRecord prospect = person("刘芳", null, null, null, "+8613912345678", "北京市朝阳区中山路8号");
        Comparison.Verdict verdict = Comparison.compare(full, prospect);
        assertThat(verdict.score()).isGreaterThanOrEqualTo(CodeAssigner.Thresholds.DEFAULT.link());
        assertThat(verdict.explanation()).containsKeys("name", "mobile", "address");

        MatchRecord typed = person("柳芳", null, null, null, "+8613912345678", "朝阳区中山路8号");
        Comparison.Verdict unsure = Comparison.compare(full, typed);
        assertThat(unsure.explanation().get("name").toString()).startsWith("sound_alike");
        assertThat(unsure.score()).as("a homophone and an abbreviated address: for review")
                .isBetween(CodeAssigner.Thresholds.DEFAULT.review(), CodeAssigner.Thresholds.DEFAULT.link());
    }

    @Test
    void strangersWithTheSameNameAndBirthDateAreNotLinkedAutomatically() {
        MatchRecord one = person("李娜", null, "1985-03-04", "女", "+8613700000001", "上海市徐汇区人民路3号");
        MatchRecord other = person("李娜", null, "1985-03-04", "女", "+8613700000002", "广东省广州市天河区建设路9号");
        assertThat(Comparison.compare(one, other).score()).isLessThan(CodeAssigner.Thresholds.DEFAULT.link());
    }

    @Test
    void nameAndBirthDateAloneGoToReviewNotToALink() {
        MatchRecord one = person("李娜", null, "1985-03-04", "女", null, null);
        MatchRecord other = person("李娜", null, "1985-03-04", "女", "+8613700000002", null);
        Comparison.Verdict verdict = Comparison.compare(one, other);
        assertThat(verdict.score()).isLessThan(CodeAssigner.Thresholds.DEFAULT.link())
                .isGreaterThanOrEqualTo(CodeAssigner.Thresholds.DEFAULT.review());
        assertThat(verdict.explanation()).containsKey("cap");
        MatchRecord sameMobile = person("李娜", null, "1985-03-04", "女", "+8613700000002", null);
        assertThat(Comparison.compare(other, sameMobile).score()).as("a shared mobile corroborates")
                .isGreaterThanOrEqualTo(CodeAssigner.Thresholds.DEFAULT.link());
    }

    @Test
    void birthDateAndGenderComeFromAValidIdNumber() {
        MatchRecord r = person("张三", "11010519491231002X", null, null, null, null);
        assertThat(r.values().birthDate()).isEqualTo("1949-12-31");
        assertThat(r.values().gender()).isEqualTo("F");
        assertThat(MatchRecord.district("北京市朝阳区中山路1号")).isEqualTo("朝阳区");
    }
}
