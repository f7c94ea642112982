package cim.core.policy;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** When a retention rule keeps a customer's data: the relationship, from its status and policies' end dates. */
class RetentionTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);
    private static final Retention AML = Retention.DEFAULT;

    @Test
    void aPotentialCustomerWithoutPoliciesHasNoRelationshipAndNoRuleApplies() {
        Retention.Relationship none = Retention.relationship(false, (String) null, TODAY);
        assertThat(none.exists()).isFalse();
        assertThat(AML.holds(none, TODAY)).isEmpty();
    }

    @Test
    void aPolicyInForceOrWithoutEndKeepsTheDataWithoutADate() {
        for (String policies : new String[] {"[{\"policy_no\":\"P1\",\"end_date\":\"2027-06-30\"}]",
            "[{\"policy_no\":\"P1\"}]", "not json", "[{\"policy_no\":\"P1\",\"end\":\"soon\"}]"}) {
            Retention.Relationship ongoing = Retention.relationship(false, policies, TODAY);
            assertThat(ongoing.ongoing()).as(policies).isTrue();
            assertThat(AML.holds(ongoing, TODAY)).get().satisfies(h -> {
                assertThat(h.until()).isNull();
                assertThat(h.describe()).contains("aml_identity", "a policy is still in force");
            });
        }
        assertThat(Retention.relationship(true, (String) null, TODAY).ongoing()).as("insured, no policy on record").isTrue();
    }

    @Test
    void theRuleRunsFromTheLastPolicyEnd() {
        String ended = "[{\"policy_no\":\"P1\",\"end_date\":\"2020-01-31\"},{\"policy_no\":\"P2\",\"终保日期\":"
                + "\"2024-06-30\"}]";
        Retention.Relationship relationship = Retention.relationship(true, ended, TODAY);
        assertThat(relationship.ended()).isEqualTo(LocalDate.of(2024, 6, 30));
        assertThat(AML.holds(relationship, TODAY)).get().satisfies(h -> {
            assertThat(h.until()).isEqualTo(LocalDate.of(2034, 6, 30));
            assertThat(h.describe()).contains("until 2034-06-30", "ended on 2024-06-30");
        });
        Retention.Relationship longAgo = Retention.relationship(false,
                "{\"policy_no\":\"P1\",\"expiry_date\":\"2015-03-01\"}", TODAY);
        assertThat(AML.holds(longAgo, TODAY)).isEmpty();
        assertThat(new Retention(java.util.List.of()).holds(relationship, TODAY)).isEmpty();
    }
}
