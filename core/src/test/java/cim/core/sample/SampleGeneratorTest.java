package cim.core.sample;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.ImportResult;
import cim.core.ingest.Importer;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

class SampleGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameFilesAndTheTruthCoversEveryRecord() throws Exception {
        new SampleGenerator(42, 5).generate(2000, dir.resolve("a.csv"), dir.resolve("a-truth.csv"), null);
        new SampleGenerator(42, 5).generate(2000, dir.resolve("b.csv"), null, null);
        assertThat(Files.readString(dir.resolve("a.csv"))).isEqualTo(Files.readString(dir.resolve("b.csv")));
        List<String> records = Files.readAllLines(dir.resolve("a.csv"));
        List<String> truth = Files.readAllLines(dir.resolve("a-truth.csv"));
        assertThat(records).hasSize(2001);
        assertThat(truth).hasSize(2001);
        Map<String, Long> perCustomer = truth.stream().skip(1).map(l -> l.split(",")[2])
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        assertThat(perCustomer.values().stream().filter(n -> n > 1).count()).as("customers known to several channels")
                .isGreaterThan(200);
        assertThat(String.join("\n", records)).as("noise").contains("/").containsPattern("[０-９]")
                .containsPattern(",\\d{15},");
    }

    @Test
    void familiesAndNamesakesAreDifferentCustomers() throws Exception {
        new SampleGenerator(7, 0).generate(5000, dir.resolve("r.csv"), dir.resolve("t.csv"), null);
        List<String[]> rows = Files.readAllLines(dir.resolve("r.csv")).stream().skip(1).map(l -> l.split(",", -1)).toList();
        List<String> truth = Files.readAllLines(dir.resolve("t.csv")).stream().skip(1).map(l -> l.split(",")[2]).toList();
        Map<String, Set<String>> customersByMobile = new HashMap<>();
        Map<String, Set<String>> customersByNameAndBirth = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (!r[9].isBlank() && r[9].length() == 11) {
                customersByMobile.computeIfAbsent(r[9], k -> new HashSet<>()).add(truth.get(i));
            }
            if (r[6].length() == 10) {
                customersByNameAndBirth.computeIfAbsent(r[4] + r[6], k -> new HashSet<>()).add(truth.get(i));
            }
        }
        assertThat(customersByMobile.values().stream().filter(s -> s.size() > 1).count())
                .as("family members share a phone").isGreaterThan(10);
        assertThat(customersByNameAndBirth.values().stream().filter(s -> s.size() > 1).count())
                .as("namesakes born the same day").isGreaterThan(10);
    }

    @Test
    void everyPlantedInvalidValueIsFlaggedByTheImportAndCleanRecordsAreNot() throws Exception {
        Path records = dir.resolve("r.csv");
        Path defects = dir.resolve("d.csv");
        new SampleGenerator(3, 10).generate(3000, records, null, defects);
        try (TestDatabase testDb = TestDatabase.create(Backend.H2); Database db = testDb.open()) {
            new Migrations(db).migrate();
            cim.core.testing.TestChannels.registerCommon(db);
            ImportResult result = new Importer(db, new AuditTrail(AuditContext.of("t", "t"), cim.core.testing.TestKeys.AUDIT),
                    cim.core.testing.TestKeys.protector(db)).importFile(records, ImportOptions.into("sample"), null, n -> { });
            assertThat(result.rejected()).isZero();
            Map<String, String> issues = new HashMap<>();
            db.dsl().select(SOURCE_RECORD.SOURCE_KEY, SOURCE_RECORD.ISSUES).from(SOURCE_RECORD)
                    .where(SOURCE_RECORD.ISSUES.isNotNull()).forEach(r -> issues.put(r.value1(), r.value2()));
            Set<String> planted = new HashSet<>();
            for (String line : Files.readAllLines(defects).subList(1, Files.readAllLines(defects).size())) {
                String[] d = line.split(",");
                if (d[3].equals("gender_mismatch")) {
                    continue;
                }
                planted.add(d[1]);
                assertThat(issues.get(d[1])).as(line).contains("\"" + d[2] + "\"");
            }
            assertThat(planted).hasSizeGreaterThan(100);
            assertThat(issues.keySet()).as("no false alarms on clean records").isSubsetOf(planted);
        }
    }
}
