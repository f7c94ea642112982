package cim.core.codes;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.protect.FieldProtector;
import cim.core.protect.Keyring;
import cim.core.sample.SampleGenerator;
import cim.core.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests of code assignment share: the audit trail, run options, and databases loaded with records. */
final class CodesFixtures {
    private CodesFixtures() {
    }

    static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("steward", "cim codes"), cim.core.testing.TestKeys.AUDIT);

    static CodeAssigner.Options options(boolean dryRun) {
        return new CodeAssigner.Options(null, dryRun, false, 700, CodeAssigner.Thresholds.DEFAULT,
                ChannelTrust.parse(null));
    }

    record Loaded(Database db, FieldProtector protector, Path truth, Path dir) { }

    /** A migrated test database with a keyring, and CSV text imported into it file by file. */
    record Fixture(Database db, FieldProtector protector, Path dir, int[] files) {
        static Fixture open(TestDatabase testDb) {
            Database db = testDb.open();
            new Migrations(db).migrate();
            cim.core.testing.TestChannels.registerCommon(db);
            return new Fixture(db, cim.core.testing.TestKeys.protector(db), testDb.directory(), new int[1]);
        }

        /** Imports the CSV text for a channel; returns its batch. */
        long load(String channel, String csv) throws java.io.IOException {
            cim.core.testing.TestChannels.register(db, channel);
            Path file = Files.writeString(dir.resolve("file-" + (++files[0]) + ".csv"), csv);
            return new Importer(db, AUDIT, protector).importFile(file, ImportOptions.into(channel), null, n -> { })
                    .batch();
        }
    }

    static Loaded load(TestDatabase testDb, int records) {
        Database db = testDb.open();
        new Migrations(db).migrate();
        cim.core.testing.TestChannels.registerCommon(db);
        FieldProtector protector = cim.core.testing.TestKeys.protector(db);
        Path dir = testDb.directory();
        Path file = dir.resolve("sample.csv");
        Path truth = dir.resolve("truth.csv");
        new SampleGenerator(11, 3).generate(records, file, truth, null);
        new Importer(db, AUDIT, protector).importFile(file, ImportOptions.into("mixed"), null, n -> { });
        return new Loaded(db, protector, truth, dir);
    }
}
