package cim.core.ingest;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.json.Json;
import cim.core.policy.PolicyStore;
import cim.core.protect.FieldProtector;
import cim.core.testing.TestChannels;
import cim.core.testing.TestDatabase;
import cim.core.testing.TestKeys;
import cim.core.validate.Cleanser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cleansing on import: a name's blanks between Chinese characters, gender as M/F, address noise; each correction
 * keeps the value as received, sealed; a policy can switch each off.
 */
class CleansingTest {
    private static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("loader", "cim import"), TestKeys.AUDIT);
    private static final String CSV = "source_key,name,gender,mobile,address\n"
            + "A1,梁 健,男,13812345678,北京市北京市海淀区 中关村大街27号\n"
            + "A2,李四,X,13912345678,上海市浦东新区\n"
            + "A3,王五,F,13712345678,\n";

    private static ImportOptions agent() {
        return ImportOptions.into("agent").withForce(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void correctionsKeepTheValueAsReceivedSealed(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            TestChannels.register(db, "agent");
            FieldProtector protector = TestKeys.protector(db);
            Path file = Files.writeString(testDb.directory().resolve("a.csv"), CSV);
            new Importer(db, AUDIT, protector).importFile(file, agent(), null, n -> { });

            var a1 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A1")).fetchSingle();
            assertThat(a1.getName()).isEqualTo("梁健");
            assertThat(a1.getGender()).isEqualTo("M");
            assertThat(a1.getAddress()).isEqualTo("北京市海淀区中关村大街27号");
            // sealed whatever the tier, bound to the record: nothing of the values as received is in clear
            assertThat(FieldProtector.isSealed(a1.getCleansed())).isTrue();
            assertThat(a1.getCleansed()).doesNotContain("梁 健", "男", "北京市北京市", "gender");
            Map<String, Object> received = Json.readMap(protector.open(Cleanser.SEAL_CONTEXT, "agent/A1",
                    a1.getCleansed()));
            assertThat(received).containsOnly(Map.entry("name", "梁 健"), Map.entry("gender", "男"),
                    Map.entry("address", "北京市北京市海淀区 中关村大街27号"));

            var a2 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A2")).fetchSingle();
            assertThat(a2.getGender()).as("kept as given and flagged").isEqualTo("X");
            assertThat(a2.getIssues()).contains("\"gender\"", "not 男/女/M/F/1/2/male/female");
            assertThat(a2.getCleansed()).isNull();
            assertThat(db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A3")).fetchSingle()
                    .getCleansed()).as("F is M/F already").isNull();

            // switched off in the policy: stored as given, nothing flagged
            db.dsl().transaction(tx -> PolicyStore.set(tx.dsl(), new AuditTrail(AuditContext.of("admin", "cim"),
                    TestKeys.AUDIT), "cleansing: {name_blanks: false, gender: false, address: false}\n", "off.yaml",
                    "channel fixes its own"));
            new Importer(db, AUDIT, protector).importFile(file, agent(), null, n -> { });
            var again = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A1")
                    .and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetchSingle();
            assertThat(again.getName()).isEqualTo("梁 健");
            assertThat(again.getGender()).isEqualTo("男");
            assertThat(again.getAddress()).isEqualTo("北京市北京市海淀区 中关村大街27号");
            assertThat(again.getCleansed()).isNull();
            assertThat(db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("A2")
                    .and(SOURCE_RECORD.IS_CURRENT.isTrue())).fetchSingle().getIssues()).isNull();
        }
    }
}
