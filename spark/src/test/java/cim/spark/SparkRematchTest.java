package cim.spark;

import cim.cli.CliRunner;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.testing.TestDatabase;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code codes assign --engine spark --rematch} on a customer file that has customers and steward decisions: after a
 * policy that links namesakes of the same birth date, the new records join the customers there are, two customers
 * that now link merge into the older code, and neither a rejected review item nor an unmerge is undone; a re-match
 * failing in its move leaves the file as it was.
 */
class SparkRematchTest {
    private static final String HEADER = "source_key,name,gender,birth_date,id_number,mobile,address\r\n";
    /**
     * Two records of one ID number; two pairs of namesakes (same birth date), each sent to review; a namesake of
     * the same birth date (T1) and two records of one ID after it (S1, S2, to be split by an unmerge).
     */
    private static final String FIRST = HEADER
            + "A1,张丽,女,1949-12-31,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n"
            + "A2,张丽,女,1949-12-31,11010519491231002X,13812341234,北京市朝阳区中山路1号\r\n"
            + "N1,赵敏,女,1990-01-01,,13700000001,上海市徐汇区人民路3号\r\n"
            + "N2,赵敏,女,1990-01-01,,13700000002,广州市天河区体育西路8号\r\n"
            + "M1,钱多,男,1980-05-05,,13600000001,杭州市西湖区文三路5号\r\n"
            + "M2,钱多,男,1980-05-05,,13600000002,南京市鼓楼区中山北路9号\r\n"
            + "T1,孙立,男,1975-07-07,,13500000009,重庆市渝中区解放碑1号\r\n"
            + "S1,孙立,男,1975-07-07,110105197507070019,13500000001,天津市和平区南京路2号\r\n"
            + "S2,孙立,男,1975-07-07,110105197507070019,13500000001,天津市和平区南京路2号\r\n";
    /** A new record of A, a new one of N1, and A2 delivered again with a new mobile number. */
    private static final String SECOND = HEADER
            + "A2,张丽,女,1949-12-31,11010519491231002X,13812340000,北京市朝阳区中山路1号\r\n"
            + "A3,张丽,女,1949-12-31,11010519491231002X,13812341299,北京市朝阳区中山路1号\r\n"
            + "N3,赵敏,女,1990-01-01,,13700000001,上海市徐汇区人民路3号\r\n";

    /** The re-match runs as a login role with the importer profile, not the tables' owner. */
    @Test
    void customersKeepTheirCodesAndStewardDecisionsAreKept() throws Exception {
        String role = "cim_rematch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner owner = prepared(pg);
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + role + " LOGIN");
            }
            owner.require("-q", "db", "grant", role, "--profile", "importer");
            CliRunner cim = owner.with("CIM_DB_URL", pg.url().replace("user=root", "user=" + role));
            Map<String, String> before = xref(cim);
            CliRunner.Result unasked = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]");
            assertThat(unasked.exit()).as(unasked.toString()).isEqualTo(2);
            assertThat(unasked.err()).contains("has customers (this one has 8)").contains("--rematch");
            CliRunner.Result single = cim.run("codes", "assign", "--rematch");
            assertThat(single.exit()).as(single.toString()).isEqualTo(2);
            assertThat(single.err()).contains("add --engine spark");

            // a limit on the merges stops it before anything is moved
            CliRunner.Result limited = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]",
                    "--rematch", "--max-merges", "1");
            assertThat(limited.exit()).as(limited.toString()).isEqualTo(1);
            assertThat(limited.err()).contains("--max-merges 1: the re-match would merge 2 customers")
                    .contains("nothing was moved");
            assertThat(xref(cim)).isEqualTo(before);
            CliRunner.Result rematch = cim.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]", "--rematch", "--max-merges", "2");
            assertThat(rematch.out()).contains("\"examined\":2,\"linked\":2,\"new_codes\":0,\"merged\":2,\"review\":0,"
                    + "\"refreshed\":1");
            Map<String, String> after = xref(cim);
            // the new records joined the customers there were
            assertThat(after.get("A3")).isEqualTo(before.get("A1"));
            assertThat(after.get("N3")).isEqualTo(before.get("N1"));
            // namesakes that link under the new policy: the older code survives, the other redirects to it
            assertThat(before.get("N1")).isLessThan(before.get("N2"));
            assertThat(after.get("N2")).isEqualTo(before.get("N1"));
            assertThat(cim.require("codes", "show", before.get("N2")).out())
                    .contains(before.get("N2") + " was merged: it redirects to " + before.get("N1"));
            // a rejected review item and an unmerge stand
            assertThat(after.get("M1")).isEqualTo(before.get("M1")).isNotEqualTo(after.get("M2"));
            assertThat(after.get("M2")).isEqualTo(before.get("M2"));
            // T1 links both halves of the unmerged customer now: it takes in one, and never the other with it
            assertThat(before.get("T1")).isLessThan(before.get("S1")).isLessThan(before.get("S2"));
            assertThat(after.get("T1")).isEqualTo(before.get("T1"));
            assertThat(after.get("S1")).isNotEqualTo(after.get("S2"));
            assertThat(java.util.List.of(after.get("S1"), after.get("S2"))).contains(before.get("T1"));
            // the record delivered again keeps its code
            assertThat(after.get("A2")).isEqualTo(before.get("A2"));
            // the golden record of the survivor is rebuilt from its records now; each step is audited
            assertThat(cim.require("-o", "json", "codes", "show", before.get("N1")).out()).contains("agent/N3#");
            String merges = owner.require("-o", "csv", "audit", "log", "--action", "codes.merge").out();
            assertThat(merges).contains(before.get("N1") + " " + before.get("N2")).contains("\"\"engine\"\":\"\"spark\"\"");
            assertThat(owner.require("-o", "csv", "audit", "log", "--action", "codes.assign", "--limit", "1").out())
                    .contains("\"\"rematch\"\":true");
            owner.require("-q", "audit", "verify");

            // nothing new, the same policy: a second re-match changes nothing (the separation of S1 and S2 holds for
            // the customer that took one of them in)
            CliRunner.Result again = cim.require("-o", "json", "codes", "assign", "--engine", "spark",
                    "--spark-master", "local[2]", "--rematch");
            assertThat(again.out()).contains("\"examined\":0,\"linked\":0,\"new_codes\":0,\"merged\":0");
            assertThat(xref(cim)).isEqualTo(after);
        } finally {
            try (Connection admin = DriverManager.getConnection(System.getProperty("cim.test.pg",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root")); Statement st = admin.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    /**
     * The move fails after the merge began to be applied (a trigger on the customers' history stands in for a
     * constraint or a full disk): not a row of the tables it writes or stages changed (a digest of each), no audit
     * event, the batch still to code.
     */
    @Test
    void aRematchThatFailsLeavesTheFileAsItWas() throws Exception {
        try (TestDatabase pg = TestDatabase.create(Backend.POSTGRESQL)) {
            CliRunner cim = prepared(pg);
            Map<String, String> before = xref(cim);
            Map<String, String> digests = digests(pg);
            try (Database db = pg.open()) {
                db.dsl().execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
                db.dsl().execute("CREATE TRIGGER refuse BEFORE INSERT ON customer_event "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION refuse()");
            }
            CliRunner.Result failed = cim.run("codes", "assign", "--engine", "spark", "--spark-master", "local[2]",
                    "--rematch");
            assertThat(failed.exit()).as(failed.toString()).isNotZero();
            assertThat(failed.err()).startsWith("ERROR:");
            assertThat(xref(cim)).isEqualTo(before);
            assertThat(digests(pg)).isEqualTo(digests);
            try (Database db = pg.open()) {
                assertThat(db.dsl().fetchCount(DSL.table(DSL.name("customer")), DSL.field("merged_into").isNotNull()))
                        .as("customers merged").isZero();
                assertThat(((Number) db.dsl().fetchValue("SELECT count(*) FROM import_batch WHERE coded_at IS NULL"))
                        .longValue()).as("batches still to code").isEqualTo(1);
                db.dsl().execute("DROP TRIGGER refuse ON customer_event");
            }
            cim.require("-q", "codes", "assign", "--engine", "spark", "--spark-master", "local[2]", "--rematch");
            assertThat(xref(cim).get("N2")).isEqualTo(before.get("N1"));
            cim.require("-q", "audit", "verify");
        }
    }

    /**
     * The first records coded on one machine, a review item rejected, a record unmerged (S2 from S1), a policy that links
     * namesakes of the same birth date (6.5: they score 7.0), and the second records imported.
     */
    private static CliRunner prepared(TestDatabase pg) throws Exception {
        CliRunner cim = CliRunner.withRecords(pg, "agent", FIRST);
        cim.require("-q", "codes", "assign");
        String reviews = cim.require("-o", "csv", "codes", "review", "list").out();
        String m2 = reviews.lines().filter(l -> l.contains("agent/M2")).findFirst().orElseThrow();
        cim.require("-q", "codes", "review", "reject", m2.split(",")[0], "--reason", "two people");
        cim.require("-q", "codes", "unmerge", "--source", "agent", "--key", "S2", "--reason", "twins");
        Path policy = Files.writeString(pg.directory().resolve("policy.yaml"),
                "merging: {link_threshold: 6.5, review_threshold: 4.5}\n");
        cim.require("-q", "policy", "set", policy.toString(), "--reason", "namesakes of one birth date link");
        Path second = Files.writeString(pg.directory().resolve("second.csv"), SECOND);
        cim.require("-q", "import", second.toString(), "--source", "agent");
        return cim;
    }

    /** Each record's key and its code. */
    private static Map<String, String> xref(CliRunner cim) {
        Map<String, String> codes = new HashMap<>();
        cim.require("-o", "csv", "codes", "xref").out().lines().skip(1)
                .forEach(l -> codes.put(l.split(",")[1], l.split(",")[2]));
        return codes;
    }

    /** A digest of every row of each table a re-match writes (or stages), as text. */
    private static Map<String, String> digests(TestDatabase pg) {
        Map<String, String> digests = new HashMap<>();
        try (Database db = pg.open()) {
            for (String table : new String[] {"customer", "customer_link", "match_key", "crowded_key", "review_item",
                "customer_event", "customer_correction", "code_separation", "record_relation", "audit_event",
                "admission_pending", "import_batch", "match_stage_customer", "match_stage_link", "match_stage_key",
                "match_stage_review", "match_stage_pending", "match_stage_relation", "match_stage_crowded"}) {
                digests.put(table, String.valueOf(db.dsl().fetchValue("SELECT count(*) || ':' || coalesce(md5("
                        + "string_agg(t::text, '|' ORDER BY t::text)), '') FROM " + table + " AS t")));
            }
        }
        return digests;
    }
}
