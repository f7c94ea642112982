package cim.core.policy;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.protect.CustomerField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy's YAML: the shape scripts write, sections left out, and every mistake named by file:line (exit 78). */
class PolicyFileTest {
    @Test
    void readsTheShapeScriptsWrite() {
        Policy policy = PolicyFile.parse("""
                admission:
                  PERSON:
                    require: [name]
                    any_of: [[id_number, mobile]]   # at least one valid value from each group
                  ORG:
                    require: [name]
                    any_of: [[uscc, org_code]]
                """, "p.yaml", 3);
        assertThat(policy.version()).isEqualTo(3);
        assertThat(policy.admission().byType().get("PERSON")).isEqualTo(new Admission.Rule(
                List.of(CustomerField.NAME), List.of(List.of(CustomerField.ID_NUMBER, CustomerField.MOBILE))));
        assertThat(policy.admission().byType().get("ORG").anyOf())
                .containsExactly(List.of(CustomerField.USCC, CustomerField.ORG_CODE));
        // merging left out: the built-in default's
        assertThat(policy.thresholds()).isEqualTo(Policy.DEFAULT.thresholds());
        assertThat(policy.trust()).isEqualTo(Policy.DEFAULT.trust());
    }

    @Test
    void theDefaultIsDocumentedAndRefusesANameAlone() {
        assertThat(Policy.DEFAULT.version()).isZero();
        assertThat(Policy.DEFAULT.thresholds().link()).isEqualTo(7.5);
        assertThat(Policy.DEFAULT.thresholds().review()).isEqualTo(4.5);
        assertThat(Policy.DEFAULT.trust()).isEqualTo(cim.core.codes.ChannelTrust.parse(null));
        assertThat(Policy.DEFAULT.admission().byType()).containsOnlyKeys("PERSON", "ORG");
        // the SPEC's retention fact: AML identity records 10 years after the relationship ends
        assertThat(Policy.DEFAULT.retention()).isEqualTo(cim.core.policy.Retention.DEFAULT);
    }

    @Test
    void whatIsStoredReadsBackAsTheSamePolicy() {
        Policy custom = PolicyFile.parse("admission:\n  PERSON: {require: [name, gender], any_of: [[mobile], [email, "
                + "qq]]}\n  ORG: {}\nmerging:\n  trust: [\"it's\", web]\n", "p.yaml", 4);
        for (Policy policy : new Policy[] {Policy.DEFAULT, custom,
                PolicyFile.parse("admission: {}\n", "p.yaml", 4), PolicyFile.parse("retention: {}\n", "p.yaml", 5),
                PolicyFile.parse("retention:\n  aml_identity: {years: 10}\n  tax: {years: 30}\n", "p.yaml", 6)}) {
            Policy read = PolicyFile.parse(PolicyFile.render(policy), "stored", policy.version());
            assertThat(read).isEqualTo(policy);
        }
    }

    @Test
    void anEmptyAdmissionSectionAdmitsEveryRecord() {
        assertThat(PolicyFile.parse("admission: {}\n", "p.yaml", 1).admission().byType()).isEmpty();
    }

    @Test
    void mergingSettingsAreRead() {
        Policy policy = PolicyFile.parse("merging:\n  link_threshold: 8\n  review_threshold: 5\n"
                + "  trust: [Agent, direct]\n", "p.yaml", 1);
        assertThat(policy.thresholds().link()).isEqualTo(8.0);
        assertThat(policy.thresholds().review()).isEqualTo(5.0);
        assertThat(policy.trust().order()).containsExactly("agent", "direct");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "admission:\\n  PERSON:\\n    require: [nmae]\\n|p.yaml:3: unknown field 'nmae' in require",
        "admission:\\n  ANIMAL: {require: [name]}\\n|p.yaml:2: unknown customer type 'ANIMAL'",
        "admission:\\n  PERSON: {require: name}\\n|p.yaml:2: require must be a list",
        "admission:\\n  PERSON: {any_of: [[]]}\\n|p.yaml:2: a group of any_of is empty",
        "admission:\\n  PERSON: {requires: [name]}\\n|p.yaml:2: unknown admission setting 'requires' of PERSON",
        "admision: {}\\n|p.yaml:1: unknown section 'admision'",
        "merging:\\n  link_threshold: high\\n|p.yaml:2: link_threshold must be a score of 0 or more",
        "merging:\\n  link_threshold: 4\\n  review_threshold: 6\\n|p.yaml:2: review_threshold (6.0) is above",
        "merging:\\n  trust: [web, web]\\n|p.yaml:2: channel 'web' is named twice in trust",
        "merging:\\n  trust: [web]\\nmerging: {}\\n|p.yaml:3: 'merging' is given twice",
        "admission: [a\\n|p.yaml:1: not valid YAML: while parsing a flow sequence; expected ',' or ']', but got",
        "- a\\n|p.yaml:1: the policy must be a mapping",
        "admission:\\n  PERSON: {require: [name]}\\n|p.yaml:2: admission gives no rule for ORG",
        "admission:\\n  PERSON: {}\\n  person: {}\\n  ORG: {}\\n|p.yaml:3: customer type PERSON is given twice",
        "retention:\\n  aml_identity: {years: ten}\\n|p.yaml:2: years of aml_identity must be a whole number",
        "retention:\\n  aml_identity: {years: 0}\\n|p.yaml:2: years of aml_identity must be a whole number",
        "retention:\\n  aml_identity: {months: 3}\\n|p.yaml:2: unknown retention setting 'months' of aml_identity",
        "retention:\\n  aml_identity: {}\\n|p.yaml:2: retention rule aml_identity gives no years:",
        "retention:\\n  AML Rule: {years: 1}\\n|p.yaml:2: retention rule name 'AML Rule' is not a name",
        "retention: [aml]\\n|p.yaml:1: retention must be a mapping",
    })
    void mistakesNameTheFileAndLine(String text, String message) {
        assertThatThrownBy(() -> PolicyFile.parse(text.replace("\\n", "\n"), "p.yaml", 1))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION);
                    assertThat(e.getMessage()).startsWith(message).doesNotContain("\n");
                });
    }
}
