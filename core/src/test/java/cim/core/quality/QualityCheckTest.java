package cim.core.quality;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.Scope;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import cim.core.sample.SampleGenerator;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.QUALITY_RESULT;
import static cim.core.db.schema.Tables.QUALITY_RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QualityCheckTest {
    private static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("dq", "cim quality check"), cim.core.testing.TestKeys.AUDIT);
    private static final Map<String, String> RULE_OF_KIND = Map.of("bad_checksum", "person.id_number.checksum",
            "impossible_date", "person.birth_date.valid", "gender_mismatch", "person.gender.matches_id",
            "malformed_phone", "contact.mobile.valid", "malformed_email", "contact.email.valid",
            "malformed_postal_code", "contact.postal_code.valid");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void everyPlantedDefectIsFoundByItsRuleAndCleanRecordsRaiseNoAlarm(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            cim.core.testing.TestChannels.registerCommon(db);
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            Path dir = testDb.directory();
            new SampleGenerator(5, 10).generate(3_000, dir.resolve("s.csv"), null, dir.resolve("defects.csv"));
            new Importer(db, AUDIT, protector).importFile(dir.resolve("s.csv"), ImportOptions.into("mixed"), null, n -> { });

            Path failures = dir.resolve("failures.csv");
            QualityCheck.Report report = new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(
                    Scope.SOURCE, RulesFile.defaults(), Map.of(), null, failures, false));

            Set<String> failed = new HashSet<>();
            Set<String> alarmed = new HashSet<>();
            for (String line : Files.readAllLines(failures).subList(1, Files.readAllLines(failures).size())) {
                String[] cells = line.replace("\"", "").split(",");
                failed.add(cells[1] + "," + cells[0] + "," + cells[2]);
                if (cells[2].matches(".*(valid|checksum|matches).*")) {
                    alarmed.add(cells[1] + "," + cells[0]);
                }
            }
            Map<String, String> planted = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("defects.csv")).subList(1,
                    Files.readAllLines(dir.resolve("defects.csv")).size())) {
                String[] cells = line.strip().split(",");
                planted.put(cells[0] + "," + cells[1], cells[3]);
            }
            assertThat(planted).hasSizeGreaterThan(150);
            planted.forEach((record, kind) -> assertThat(failed).as(kind + " planted in " + record)
                    .contains(record + "," + RULE_OF_KIND.get(kind)));
            alarmed.removeAll(planted.keySet());
            assertThat(alarmed).as("validity or consistency failures on clean records").isEmpty();

            assertThat(report.records()).isEqualTo(3_000);
            assertThat(report.channels()).extracting(QualityCheck.Outcome::channel).contains("agent", "web");
            assertThat(report.status()).as("10% defects breach the 1% validity thresholds")
                    .isEqualTo(RuleStatus.FAIL);
            assertThat(db.dsl().fetchCount(QUALITY_RUN)).isEqualTo(1);
            assertThat(db.dsl().fetchCount(QUALITY_RESULT, QUALITY_RESULT.SOURCE_SYSTEM.isNull()))
                    .isEqualTo(report.rules().size());
            assertThat(db.dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("quality.check"))).isEqualTo(1);
            assertThat(Files.readString(failures)).as("no tier-1 value in the failures file")
                    .doesNotContainPattern("\\d{17}[\\dXx]").doesNotContainPattern("1[3-9]\\d{9}")
                    .doesNotContainPattern("[a-z]+\\d+@");
            // any field can be moved into tier 1: no reason, in the failures file or a record's stored issues, repeats
            // a value of its record (a bad date or a postal code in the wrong province did)
            Map<String, String> reasons = new HashMap<>();
            for (String line : Files.readAllLines(failures).subList(1, Files.readAllLines(failures).size())) {
                String[] cells = line.replace("\"", "").split(",", 5);
                reasons.merge(cells[1] + "/" + cells[0], cells[4], (a, b) -> a + "; " + b);
            }
            int checked = 0;
            for (org.jooq.Record r : db.dsl().selectFrom(cim.core.db.schema.Tables.SOURCE_RECORD).fetch()) {
                String key = r.get(cim.core.db.schema.Tables.SOURCE_RECORD.SOURCE_SYSTEM) + "/"
                        + r.get(cim.core.db.schema.Tables.SOURCE_RECORD.SOURCE_KEY);
                String said = reasons.getOrDefault(key, "") + " " + r.get(cim.core.db.schema.Tables.SOURCE_RECORD.ISSUES);
                for (CustomerField field : CustomerField.values()) {
                    String value = protector.open(field, FieldProtector.row(
                            r.get(cim.core.db.schema.Tables.SOURCE_RECORD.SOURCE_SYSTEM),
                            r.get(cim.core.db.schema.Tables.SOURCE_RECORD.SOURCE_KEY)), (String) r.get(field.column()));
                    if (value != null && value.length() >= 4) {
                        checked++;
                        assertThat(said).as(field.column() + " of " + key).doesNotContain(value);
                    }
                }
            }
            assertThat(checked).isGreaterThan(10_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void oneValidIdNumberHeldByTwoCustomersBreachesUniqueness(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            cim.core.testing.TestChannels.registerCommon(db);
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            records.customer("P0000000011", Map.of(CustomerField.NAME, "张三", CustomerField.ID_NUMBER,
                    "11010519491231002X"));
            records.customer("P0000000020", Map.of(CustomerField.NAME, "张三", CustomerField.ID_NUMBER,
                    "11010519491231002X"));
            records.customer("P0000000039", Map.of(CustomerField.NAME, "李四", CustomerField.ID_NUMBER,
                    "110105198503070027"));
            QualityCheck.Report report = new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(
                    Scope.CUSTOMER, RulesFile.defaults(), Map.of(), null, null, false));
            QualityCheck.Outcome unique = report.rules().stream()
                    .filter(o -> o.rule().id().equals("person.id_number.unique")).findFirst().orElseThrow();
            assertThat(unique.checked()).isEqualTo(3);
            assertThat(unique.failed()).isEqualTo(2);
            assertThat(unique.samples()).containsExactlyInAnyOrder("P0000000011", "P0000000020");
            assertThat(unique.status()).isEqualTo(RuleStatus.FAIL);
            assertThat(report.failed()).isTrue();
            assertThat(report.unreadable()).isZero();

            // a value moved from one golden record to another (in SQL) does not open there: checked as missing,
            // counted, and the check goes on instead of exiting 77
            db.dsl().update(cim.core.db.schema.Tables.CUSTOMER).set(cim.core.db.schema.Tables.CUSTOMER.ID_NUMBER,
                    db.dsl().select(cim.core.db.schema.Tables.CUSTOMER.ID_NUMBER).from(cim.core.db.schema.Tables.CUSTOMER)
                            .where(cim.core.db.schema.Tables.CUSTOMER.CODE.eq("P0000000039")))
                    .where(cim.core.db.schema.Tables.CUSTOMER.CODE.eq("P0000000020")).execute();
            QualityCheck.Report moved = new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(
                    Scope.CUSTOMER, RulesFile.defaults(), Map.of(), null, null, false));
            assertThat(moved.unreadable()).isEqualTo(1);
        }
    }

    /**
     * The attack: one regex per position and character on id_number, and --failures tells which records have which
     * digit where. Waivers by value answer the same question through the waived count.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rulesThatReadTierOneValuesOneByOneAreRefusedUnlessAStewardGivesAReason(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            cim.core.testing.TestChannels.registerCommon(db);
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            new SourceRecords(db.dsl(), protector).customer("P0000000011", Map.of(CustomerField.NAME, "张三",
                    CustomerField.ID_NUMBER, "11010519491231002X"));
            Path dir = testDb.directory();
            Map<String, String> oracles = Map.of(
                    "custom:\n  - {id: p4, field: id_number, check: regex, pattern: '.{3}7.*'}\n", ":2: custom rule p4",
                    "custom:\n  - {id: a, field: mobile, check: allowed, values: ['13812341234']}\n", ":2: custom rule a",
                    "custom:\n  - id: r\n    field: qq\n    check: range\n    min: 10000\n", ":2: custom rule r",
                    "rules:\n  org.uscc.checksum:\n    waivers: [91350100M000100Y43]\n", ":3: waivers by value");
            for (Map.Entry<String, String> oracle : oracles.entrySet()) {
                Path file = Files.writeString(dir.resolve("oracle.yaml"), oracle.getKey());
                Path failures = dir.resolve("failures.csv");
                assertThatThrownBy(() -> new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(
                        Scope.CUSTOMER, RulesFile.read(file), Map.of(), null, failures, false)))
                        .as(oracle.getKey()).isInstanceOfSatisfying(CimException.class, e -> {
                            assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                            assertThat(e.getMessage()).contains(file + oracle.getValue()).contains("tier-1 field");
                        });
                assertThat(failures).as("nothing written").doesNotExist();
            }
            assertThat(db.dsl().fetchCount(QUALITY_RUN)).isZero();

            // tuning built-in rules and waiving by record key is fine, and so is a custom rule off tier 1
            Path tuned = Files.writeString(dir.resolve("tuned.yaml"), """
                    rules:
                      person.id_number.checksum: {threshold: 2%, waive_keys: [P0000000011]}
                    custom:
                      - {id: name.no_digits, field: name, check: regex, pattern: '[^0-9]*'}
                    """);
            new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(Scope.CUSTOMER,
                    RulesFile.read(tuned), Map.of(), null, null, false));

            Path file = Files.writeString(dir.resolve("oracle.yaml"),
                    "custom:\n  - {id: p4, field: id_number, check: regex, pattern: '.{3}7.*'}\n");
            new QualityCheck(db, AUDIT, protector).run(new QualityCheck.Options(Scope.CUSTOMER,
                    RulesFile.read(file), Map.of(), null, null, false, "INC-4 data fix", QualityCheck.By.CHANNEL));
            var event = db.dsl().selectFrom(AUDIT_EVENT).orderBy(AUDIT_EVENT.SEQ.desc()).limit(1).fetchSingle();
            assertThat(event.getReason()).isEqualTo("INC-4 data fix");
            assertThat(event.getDetail()).contains("\"reveals\"").contains("custom rule p4 on id_number");
        }
    }

    @Test
    void aRulesFileAdjustsDisablesWaivesAndAddsRules(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), """
                # our adjustments
                rules:
                  person.id_number.checksum: {severity: warn, threshold: 0.5%}
                  contact.phone.valid:
                    enabled: false
                  org.uscc.checksum:
                    waivers: [91350100M000100Y43]
                custom:
                  - id: custom.industry.allowed
                    field: industry
                    check: allowed
                    values: [保险, 金融]
                    severity: warn
                params:
                  stale_after_days: 365
                """);
        RulesFile.Loaded loaded = RulesFile.read(file);
        Map<String, Rule> rules = new HashMap<>();
        loaded.rules().forEach(r -> rules.put(r.id(), r));
        assertThat(rules.get("person.id_number.checksum").severity()).isEqualTo(Severity.WARN);
        assertThat(rules.get("person.id_number.checksum").threshold()).isEqualTo(new Threshold(0.5, true));
        assertThat(rules).doesNotContainKey("contact.phone.valid");
        assertThat(rules.get("org.uscc.checksum").waivers()).containsExactly("91350100M000100Y43");
        Rule custom = rules.get("custom.industry.allowed");
        assertThat(custom.check().failure(QualityRecord.of("k", true, Map.of(CustomerField.INDUSTRY, "餐饮")),
                null)).contains("not one of the allowed values");
        assertThat(custom.check().failure(QualityRecord.of("k", true, Map.of(CustomerField.INDUSTRY, "保险")),
                null)).isNull();
        assertThat(loaded.staleAfterDays()).isEqualTo(365);
        assertThat(loaded.sha256()).hasSize(64);
    }

    @Test
    void anInvalidRulesFileNamesTheLine(@TempDir Path dir) throws Exception {
        for (List<String> bad : List.of(
                List.of("rules:\n  person.id_number.checksum: {threshold: lots}\n", ":2:", "threshold must be"),
                List.of("rules:\n  no.such.rule: {severity: warn}\n", ":2:", "unknown rule 'no.such.rule'"),
                List.of("rules:\n  contact.email.valid:\n    severity: loud\n", ":3:", "severity must be warn or fail"),
                List.of("custom:\n  - id: x\n    field: nonsense\n    check: not_null\n", ":3:", "unknown field"),
                List.of("custom:\n  - id: x\n    field: qq\n    check: regex\n    pattern: '[0-9'\n", ":5:",
                        "not a regular expression"),
                List.of("params:\n  stale_after_days: -1\n", ":2:", "whole number of days"),
                List.of("rules: [\n", ":", "not valid YAML"),
                List.of("colours: {}\n", ":1:", "unknown section"))) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), bad.get(0));
            assertThatThrownBy(() -> RulesFile.read(file)).as(bad.get(0))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure())
                            .isEqualTo(Failure.CONFIGURATION))
                    .hasMessageContaining(file + bad.get(1)).hasMessageContaining(bad.get(2));
        }
    }

    @Test
    void customPatternsRunInLinearTimeWhateverTheValue(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), "custom:\n"
                + "  - {id: custom.qq.nested, field: qq, check: regex, pattern: '(.*a){12}'}\n"
                + "  - {id: custom.qq.alternation, field: qq, check: regex, pattern: '(a|b)*c'}\n");
        Map<String, Rule> rules = new HashMap<>();
        RulesFile.read(file).rules().forEach(r -> rules.put(r.id(), r));
        // java.util.regex backtracks for minutes on the first and overflows its stack on the second
        QualityRecord shortish = QualityRecord.of("k", false, Map.of(CustomerField.QQ, "a".repeat(40) + "b"));
        assertThat(rules.get("custom.qq.nested").check().failure(shortish, null)).contains("does not match");
        QualityRecord longValue = QualityRecord.of("k", false, Map.of(CustomerField.QQ, "ab".repeat(20_000)));
        assertThat(rules.get("custom.qq.alternation").check().failure(longValue, null)).contains("does not match");

        Path backReference = Files.writeString(dir.resolve("back.yaml"),
                "custom:\n  - {id: custom.qq.twice, field: qq, check: regex, pattern: '(a)\\1'}\n");
        assertThatThrownBy(() -> RulesFile.read(backReference)).hasMessageContaining(backReference + ":2:")
                .hasMessageContaining("not a regular expression cim can run");
    }

    @Test
    void thresholdsCountOrPercentAndZeroFailsOnOne() {
        assertThat(Threshold.parse("0").orElseThrow().breached(1, 1_000_000)).isTrue();
        assertThat(Threshold.parse("0%").orElseThrow().breached(1, 1_000_000)).isTrue();
        assertThat(Threshold.parse("0%").orElseThrow().breached(0, 10)).isFalse();
        assertThat(Threshold.parse("10").orElseThrow().breached(10, 20)).isFalse();
        assertThat(Threshold.parse("10").orElseThrow().breached(11, 20)).isTrue();
        assertThat(Threshold.parse("1.5%").orElseThrow().breached(15, 1000)).isFalse();
        assertThat(Threshold.parse("1.5%").orElseThrow().breached(16, 1000)).isTrue();
        assertThat(Threshold.parse("lots")).isEmpty();
        assertThat(Threshold.parse("101%")).isEmpty();
    }
}
