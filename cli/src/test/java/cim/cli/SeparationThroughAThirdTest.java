package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A steward's separation holds through a third customer: a new record that links a customer and both halves of an
 * unmerged one (the best link first) merges the first half in, and never the second with it.
 */
class SeparationThroughAThirdTest {
    private static final String HEADER = "source_key,name,gender,birth_date,id_number,mobile,address\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aCustomerThatTookInOneOfTwoSeparatedCustomersNeverTakesInTheOther(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = prepared(db);
            Map<String, String> before = xref(cim);
            assertThat(before.get("S1")).isNotEqualTo(before.get("S2"));
            // R is T1 by mobile and address (its best link), and a namesake of S1 and S2
            Path more = Files.writeString(db.directory().resolve("more.csv"), HEADER
                    + "R1,孙立,男,1975-07-07,,13500000009,重庆市渝中区解放碑1号\n");
            cim.require("-q", "import", more.toString(), "--source", "agent");
            CliRunner.Result assigned = cim.require("-o", "json", "codes", "assign");
            assertThat(assigned.out()).contains("\"merged\":1");
            Map<String, String> after = xref(cim);
            assertThat(after.get("R1")).isEqualTo(before.get("T1"));
            assertThat(after.get("S1")).isEqualTo(before.get("T1"));
            assertThat(after.get("S2")).isEqualTo(before.get("S2"));
        }
    }

    /**
     * Two new records like T1, in two chunks of one run: the first makes T1's customer take in S1; the second finds
     * that customer (read again) and S2, and does not merge them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void theSeparationHoldsInTheChunksAfterTheMerge(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = prepared(db);
            Map<String, String> before = xref(cim);
            Path more = Files.writeString(db.directory().resolve("more.csv"), HEADER
                    + "R1,孙立,男,1975-07-07,,13500000009,重庆市渝中区解放碑1号\n"
                    + "R2,孙立,男,1975-07-07,,13500000009,重庆市渝中区解放碑1号\n");
            cim.require("-q", "import", more.toString(), "--source", "agent");
            cim.require("-q", "codes", "assign", "--chunk-size", "1");
            Map<String, String> after = xref(cim);
            assertThat(after.get("R2")).isEqualTo(before.get("T1"));
            assertThat(after.get("S1")).isNotEqualTo(after.get("S2"));
            assertThat(after.get("S2")).isEqualTo(before.get("S2"));
        }
    }

    /**
     * T1, then S1 and S2 of one ID number (namesakes of T1, same birth date) coded; S2 unmerged from S1; a policy by
     * which namesakes of one birth date (7.0) link from now on.
     */
    private static CliRunner prepared(TestDatabase db) throws Exception {
        CliRunner cim = CliRunner.withRecords(db, "agent", HEADER
                + "T1,孙立,男,1975-07-07,,13500000009,重庆市渝中区解放碑1号\n"
                + "S1,孙立,男,1975-07-07,110105197507070019,13500000001,天津市和平区南京路2号\n"
                + "S2,孙立,男,1975-07-07,110105197507070019,13500000001,天津市和平区南京路2号\n");
        cim.require("-q", "codes", "assign");
        cim.require("-q", "codes", "unmerge", "--source", "agent", "--key", "S2", "--reason", "twins");
        Path policy = Files.writeString(db.directory().resolve("policy.yaml"),
                "merging: {link_threshold: 6.5, review_threshold: 4.5}\n");
        cim.require("-q", "policy", "set", policy.toString(), "--reason", "namesakes of one birth date link");
        return cim;
    }

    private static Map<String, String> xref(CliRunner cim) {
        Map<String, String> codes = new HashMap<>();
        cim.require("-o", "csv", "codes", "xref").out().lines().skip(1)
                .forEach(l -> codes.put(l.split(",")[1], l.split(",")[2]));
        return codes;
    }
}
