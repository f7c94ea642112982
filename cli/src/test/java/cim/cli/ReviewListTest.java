package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** codes review list shows the same items to people (table, CSV) and in JSON. */
class ReviewListTest {
    /** Namesakes born the same day, nothing else shared: never linked, sent for review. */
    private static final String CSV = "source_key,name,gender,birth_date,mobile\r\n"
            + "A1,张伟,男,1980-01-01,13800000001\r\n"
            + "A2,张伟,男,1980-01-01,13900000002\r\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void reviewItemsInEveryFormat(Backend backend) throws Exception {
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner cim = CliRunner.withRecords(db, "agent", CSV);
            cim.require("codes", "assign");
            assertThat(cim.require("codes", "review", "list", "-o", "csv").out()).matches(
                    "id,record,record_code,candidate_code,score,explanation,created\\r\\n"
                    + "1,agent/A2,P[0-9A-Z]+,P[0-9A-Z]+,7,\"\\{\"\"birth_date\"\".*\"\"cap\"\".*}\",\\d{4}-\\d\\d-\\d\\d\\r\\n");
            assertThat(cim.require("codes", "review", "list", "-o", "json").out()).matches(
                    "\\{\"ok\":true,\"command\":\"codes review list\",\"data\":\\{\"items\":\\[\\{\"id\":1,"
                    + "\"source_system\":\"agent\",\"source_key\":\"A2\",\"record_code\":\"P[0-9A-Z]+\","
                    + "\"candidate_code\":\"P[0-9A-Z]+\",\"score\":7\\.0+,\"explanation\":\\{\"birth_date\":.*\"cap\":.*},"
                    + "\"state\":\"open\"}]}}\\s*");
        }
    }
}
