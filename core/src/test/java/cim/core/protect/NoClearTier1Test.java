package cim.core.protect;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.QUARANTINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DBA with the whole database must not read a tier-1 value: after known tier-1 values are written to every table
 * that can hold them, a full dump of the database (pg_dump on PostgreSQL, SCRIPT on H2) holds none of them.
 */
class NoClearTier1Test {
    private static final List<String> TIER1 = List.of("11010519491231002X", "+8613912345678",
            "leak.check@example.cn", "6222020200112233445", "91350100M000100Y43", "wxid_leakcheck");
    private static final String TIER2_ADDRESS = "1 Leakcheck Road, Haidian, Beijing";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aDumpOfEveryTableHoldsNoTier1ValueInClear(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            FieldProtector protector = cim.core.testing.TestKeys.protector(db);
            TierRegistry registry = TierRegistry.load(db.dsl());
            SourceRecords records = new SourceRecords(db.dsl(), protector);
            Map<CustomerField, String> values = Map.of(CustomerField.ID_NUMBER, TIER1.get(0),
                    CustomerField.MOBILE, TIER1.get(1), CustomerField.EMAIL, TIER1.get(2),
                    CustomerField.ACCOUNTS, "[{\"bank\":\"ICBC\",\"number\":\"" + TIER1.get(3) + "\"}]",
                    CustomerField.USCC, TIER1.get(4), CustomerField.WECHAT, TIER1.get(5),
                    CustomerField.ADDRESS, TIER2_ADDRESS);
            records.source("leak", values);
            records.customer("P1", values);
            String raw = String.join(",", TIER1) + "," + TIER2_ADDRESS;
            long batch = db.dsl().select(IMPORT_BATCH.ID).from(IMPORT_BATCH).fetchAny().value1();
            db.dsl().insertInto(QUARANTINE).set(QUARANTINE.BATCH_ID, batch).set(QUARANTINE.LINE_NO, 2L)
                    .set(QUARANTINE.REASON, "wrong column count")
                    .set(QUARANTINE.RAW_ROW, protector.seal(Quarantined.CONTEXT, Quarantined.row(batch, 2), raw))
                    .set(QUARANTINE.RAW_MASKED, MaskingRule.RESIDENT_ID.mask(TIER1.get(0), false)).execute();
            AuditTrail audit = new AuditTrail(AuditContext.of("dba", "test"), cim.core.testing.TestKeys.AUDIT);
            // customer codes: golden record, links with their explanations, blocking keys
            records.source("leak-again", values);
            cim.core.codes.CodeAssigner.Result assigned = new cim.core.codes.CodeAssigner(db, audit, protector)
                    .assign(new cim.core.codes.CodeAssigner.Options(null, false, false, 100,
                            cim.core.codes.CodeAssigner.Thresholds.DEFAULT, cim.core.codes.ChannelTrust.parse(null)),
                            n -> { });
            assertThat(assigned.linked()).isEqualTo(1);
            db.dsl().transaction(tx -> audit.append(tx.dsl(), AuditEntry.of("export").rows(1).detail(Map.of(
                    "id_number", registry.policy(CustomerField.ID_NUMBER).masking().mask(TIER1.get(0), false),
                    "mobile_index", protector.blindIndex(CustomerField.MOBILE, TIER1.get(1))))));

            String dump = dump(testDb, db);
            assertThat(dump).as("the dump is real: it holds the tier-2 address").contains(TIER2_ADDRESS);
            assertThat(dump).contains(FieldProtector.SEALED_PREFIX);
            for (String value : TIER1) {
                assertThat(dump).as("tier-1 value in clear").doesNotContain(value);
            }
        }
    }

    private static String dump(TestDatabase testDb, Database db) throws Exception {
        if (testDb.backend() == Backend.H2) {
            StringBuilder script = new StringBuilder();
            db.dsl().fetch("SCRIPT").forEach(r -> script.append(r.get(0, String.class)).append('\n'));
            return script.toString();
        }
        Process pgDump = new ProcessBuilder("pg_dump", "--no-owner", testDb.libpqUri())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(pgDump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pgDump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pgDump.exitValue()).as("pg_dump (install postgresql-client)").isZero();
        return out;
    }
}
