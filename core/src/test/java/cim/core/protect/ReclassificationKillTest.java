package cim.core.protect;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.SourceRecords;
import cim.core.testing.TestDatabase;
import org.jooq.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_CHANGE;
import static org.assertj.core.api.Assertions.assertThat;

/** A reclassification killed part-way (kill -9 of its process) is finished by running it again. */
class ReclassificationKillTest {
    private static final int RECORDS = 20_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aKilledReclassificationIsCompletedByARerun(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            Keyring keyring = Keyring.generate();
            cim.core.testing.TestKeys.signRegistry(db, keyring);
            Path keyset = Files.writeString(testDb.directory().resolve("keyset.json"), keyring.toJson());
            new SourceRecords(db.dsl(), new FieldProtector(keyring)).bulk(RECORDS);

            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ReclassifyProcess.class.getName(), testDb.url(),
                    keyset.toString(), "1", "10").redirectErrorStream(true).start();
            long done = 0;
            for (int i = 0; i < 3000 && done == 0 && process.isAlive(); i++) {
                Thread.sleep(10);
                done = db.dsl().select(TIER_CHANGE.VALUES_DONE).from(TIER_CHANGE).fetchOptional(TIER_CHANGE.VALUES_DONE)
                        .orElse(0L);
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(done).as("the process was killed after some batches").isPositive();

            Field<String> column = SOURCE_RECORD.POSTAL_CODE;
            long sealedBefore = db.dsl().fetchCount(SOURCE_RECORD, column.like("cim2:%"));
            assertThat(sealedBefore).as("killed part-way").isPositive().isLessThan(RECORDS);
            assertThat(db.dsl().fetchSingle(TIER_CHANGE).getState()).isEqualTo("running");

            Reclassification.Outcome rerun = new Reclassification(db.dsl(),
                    new AuditTrail(AuditContext.of("dba", "rerun"), cim.core.testing.TestKeys.AUDIT)).apply(CustomerField.POSTAL_CODE, Tier.ONE,
                    "finish", false, new FieldProtector(keyring), 1000, n -> { });
            assertThat(rerun.resumed()).isTrue();
            assertThat(rerun.values()).isEqualTo(RECORDS);
            assertThat(db.dsl().fetchSingle(TIER_CHANGE).getState()).isEqualTo("done");

            FieldProtector protector = new FieldProtector(keyring);
            List<String> stored = db.dsl().select(column).from(SOURCE_RECORD).orderBy(SOURCE_RECORD.ID).fetch(column);
            assertThat(stored).hasSize(RECORDS).allMatch(v -> v.startsWith("cim2:"));
            for (int i = 0; i < RECORDS; i++) {
                assertThat(protector.open(CustomerField.POSTAL_CODE, FieldProtector.row("bulk", "k" + i), stored.get(i)))
                        .isEqualTo(String.format("%06d", i));
            }
        }
    }
}
