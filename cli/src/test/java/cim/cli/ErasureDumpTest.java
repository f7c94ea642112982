package cim.cli;

import cim.core.db.Backend;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After {@code codes erase}, a full dump of the database (pg_dump on PostgreSQL, SCRIPT on H2) holds none of the
 * customer's names, addresses or identifiers, nor the ciphertexts and blind indexes they were stored as, from any
 * table: its records (every version), golden record, correction, quarantined row, relations and match keys. The
 * other customers' data is still there. On PostgreSQL it runs as a role with the steward profile only.
 */
class ErasureDumpTest {
    private static final String NAME = "欧阳擦除";
    private static final String ADDRESS = "北京市朝阳区擦除路99号";
    private static final String ID = "11010519491231002X";
    private static final String MOBILE = "13812345678";
    private static final String EMAIL = "erase.me@example.cn";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDumpAfterAnEraseHoldsNothingOfTheCustomer(Backend backend) throws Exception {
        String steward = "cim_steward_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase db = TestDatabase.create(backend)) {
            CliRunner owner = CliRunner.withRecords(db, "agent", "source_key,name,id_number,mobile,email,address\n"
                    + "E1," + NAME + "," + ID + "," + MOBILE + "," + EMAIL + "," + ADDRESS + "\n"
                    + "K1,留下人,110105198503070027,13912345678,keep@example.cn,上海市浦东新区留下路1号\n")
                    .channels("web", "car");
            // a second version, a record of another channel that links, one naming it in a relation, and a row
            // quarantined with its key
            Path again = Files.writeString(db.directory().resolve("again.csv"), "source_key,name,id_number,mobile\n"
                    + "E1," + NAME + "," + ID + ",13800001111\n");
            owner.require("import", again.toString(), "--source", "agent");
            Path web = Files.writeString(db.directory().resolve("web.jsonl"), "{\"source_key\":\"W9\",\"name\":\""
                    + NAME + "\",\"id_number\":\"" + ID + "\",\"email\":\"" + EMAIL + "\"}\n"
                    + "{\"source_key\":\"W8\",\"name\":\"留下人\",\"id_number\":\"110105198503070027\","
                    + "\"relations\":[{\"type\":\"spouse\",\"source_system\":\"agent\",\"source_key\":\"E1\"}]}\n"
                    + "{\"source_key\":\"W7\",\"name\":\"" + NAME + "\",\"id_number\":\"" + ID
                    + "\",\"customer_type\":\"ALIEN\"}\n"
                    + "{\"source_key\":\"W6\",\"id_number\":\"" + ID + "\",\"mobile\":\"13800002222\"}\n");
            owner.require("import", web.toString(), "--source", "web", "--max-rejects", "5");
            // quarantined in a channel where it has no record: found by its ID (written the 15-digit way)
            Path car = Files.writeString(db.directory().resolve("car.csv"), "source_key,name,id_number,customer_type\n"
                    + "C1," + NAME + ",110105491231002,ALIEN\nC2,留下人,110105198503070027,ALIEN\n"
                    + "C3,赵留,110105198001010016,PERSON\n");
            owner.require("import", car.toString(), "--source", "car", "--max-rejects", "5");
            owner.require("codes", "assign");
            String code = CustomerRightsCommandTest.code(owner, "E1");
            owner.runWithInput("欧阳更正\n", "codes", "correct", code, "--field", "contact_person", "--reason",
                    "form 1");
            List<String> stored = storedForms(db, code);
            assertThat(stored).as("ciphertexts and blind indexes captured before the erase").hasSizeGreaterThan(5);

            CliRunner as = owner;
            if (backend == Backend.POSTGRESQL) {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("CREATE ROLE " + steward + " LOGIN");
                }
                owner.require("db", "grant", steward, "--profile", "steward");
                as = owner.with("CIM_DB_URL", db.url().replace("user=root", "user=" + steward));
            }
            CliRunner.Result erased = as.require("codes", "erase", code, "--reason", "PIPL deletion 7", "-o", "json");
            // E1 and W9 linked, W6 waiting for admission (no name) with its ID; W7 and C1 quarantined, C2 not its
            assertThat(erased.out()).contains("\"records\":3", "\"quarantined\":2");

            String dump = dump(db);
            assertThat(dump).as("the dump is real").contains("上海市浦东新区留下路1号", "留下人");
            for (String value : List.of(NAME, ADDRESS, ID, MOBILE, EMAIL, "欧阳更正", "13800001111", "13800002222")) {
                assertThat(dump).as("the erased customer's value").doesNotContain(value);
            }
            for (String form : stored) {
                assertThat(dump).as("a stored form of its values").doesNotContain(form);
            }
            assertThat(dump).contains(code);
            // the other customer's quarantined row is still there (its copy for people names it)
            assertThat(dump).contains("source_key=C2");
        } finally {
            if (backend == Backend.POSTGRESQL) {
                try (Connection admin = DriverManager.getConnection(System.getProperty("cim.test.pg",
                        "jdbc:postgresql://127.0.0.1:5432/test?user=root")); Statement st = admin.createStatement()) {
                    st.execute("DROP ROLE IF EXISTS " + steward);
                }
            }
        }
    }

    /** The sealed values and blind indexes the customer's rows hold now (its golden row and records, by key). */
    private static List<String> storedForms(TestDatabase db, String code) throws Exception {
        List<String> forms = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (Map.Entry<String, String> query : Map.of(
                    "customer", "SELECT * FROM customer WHERE code = '" + code + "'",
                    "source_record", "SELECT * FROM source_record WHERE source_key IN ('E1', 'W9', 'W6')",
                    "customer_correction", "SELECT * FROM customer_correction WHERE code = '" + code + "'").entrySet()) {
                try (ResultSet rows = st.executeQuery(query.getValue())) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            String value = rows.getString(i);
                            String column = rows.getMetaData().getColumnName(i).toLowerCase();
                            if (value != null && (value.startsWith("cim2:") || column.endsWith("_bidx"))) {
                                forms.add(value);
                            }
                        }
                    }
                }
            }
        }
        return forms;
    }

    private static String dump(TestDatabase db) throws Exception {
        if (db.backend() == Backend.H2) {
            StringBuilder script = new StringBuilder();
            try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rows =
                    st.executeQuery("SCRIPT")) {
                while (rows.next()) {
                    script.append(rows.getString(1)).append('\n');
                }
            }
            // H2 writes characters outside ASCII as U&'\\XXXX' escapes: read back, so that a value is found as it is
            return java.util.regex.Pattern.compile("\\\\([0-9a-fA-F]{4})").matcher(script)
                    .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                            String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        Process pgDump = new ProcessBuilder("pg_dump", "--no-owner", db.libpqUri())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(pgDump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pgDump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pgDump.exitValue()).as("pg_dump (install postgresql-client)").isZero();
        return out;
    }
}
