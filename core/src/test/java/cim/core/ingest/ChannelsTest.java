package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
import cim.core.testing.TestKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CHANNEL;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.QUARANTINE;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records come in only through a registered channel, and each channel names the department answerable for it. */
class ChannelsTest {
    private static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("admin", "cim channels"), TestKeys.AUDIT);

    private static ImportOptions into(String channel) {
        return ImportOptions.into(channel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anImportIntoAnUnregisteredChannelIsRefusedBeforeItReadsARow(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            Path file = Files.writeString(testDb.directory().resolve("x.csv"), "source_key,name,mobile\n"
                    + "X1,张三,13812345678\n");
            Importer importer = new Importer(db, AUDIT, TestKeys.protector(db));
            for (boolean dryRun : new boolean[] {true, false}) {
                ImportOptions options = ImportOptions.into("wechat").withDryRun(dryRun);
                assertThatThrownBy(() -> importer.importFile(file, options, null, n -> { }))
                        .isInstanceOfSatisfying(CimException.class, e -> {
                            assertThat(e.failure()).isEqualTo(Failure.INPUT);
                            assertThat(e.getMessage()).startsWith("channel 'wechat' is not registered");
                            assertThat(e.hint()).contains("cim channels add wechat --name NAME --owner DEPT");
                        });
            }
            assertThat(db.dsl().fetchCount(IMPORT_BATCH)).isZero();

            db.dsl().transaction(tx -> Channels.add(tx.dsl(), AUDIT, "wechat", "微信公众号", "电子商务部"));
            assertThat(importer.importFile(file, into("wechat"), null, n -> { }).accepted()).isEqualTo(1);
            assertThat(Channels.owners(db.dsl(), TestKeys.AUDIT)).containsEntry("wechat", "电子商务部");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRowNamingAnUnregisteredChannelGoesToQuarantine(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            db.dsl().transaction(tx -> Channels.add(tx.dsl(), AUDIT, "agent", "个人代理", "个人业务部"));
            Path file = Files.writeString(testDb.directory().resolve("own.csv"), "source_system,source_key,name\n"
                    + "agent,A1,张三\nmystery,M1,李四\n");
            ImportResult result = new Importer(db, AUDIT, TestKeys.protector(db)).importFile(file,
                    into(null), null, n -> { });
            assertThat(result.accepted()).isEqualTo(1);
            assertThat(result.rejected()).isEqualTo(1);
            assertThat(db.dsl().fetchValue(SOURCE_RECORD.SOURCE_SYSTEM)).isEqualTo("agent");
            assertThat(db.dsl().fetchValue(QUARANTINE.REASON)).startsWith("source_system names a channel that is "
                    + "not registered").doesNotContain("mystery");
        }
    }

    /** A DBA who registers a channel, or changes its owner, in SQL: the imports that would use it stop. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aChannelAddedOrChangedOutsideCimStopsImports(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            db.dsl().transaction(tx -> Channels.add(tx.dsl(), AUDIT, "agent", "个人代理", "个人业务部"));
            Path file = Files.writeString(testDb.directory().resolve("a.csv"), "source_key,name\nA1,张三\n");
            Importer importer = new Importer(db, AUDIT, TestKeys.protector(db));
            assertThat(importer.importFile(file, into("agent"), null, n -> { }).accepted()).isEqualTo(1);

            db.dsl().update(CHANNEL).set(CHANNEL.OWNER, "无人").where(CHANNEL.CODE.eq("agent")).execute();
            assertRefused(importer, file, "channel 'agent' was added or changed outside cim");
            assertThat(Channels.list(db.dsl(), TestKeys.AUDIT)).singleElement()
                    .satisfies(c -> assertThat(c.intact()).isFalse());
            assertThat(Channels.owners(db.dsl(), TestKeys.AUDIT)).containsEntry("agent", "(changed outside cim)");
            db.dsl().transaction(tx -> Channels.set(tx.dsl(), AUDIT, "agent", null, "个人业务部", "restored"));
            assertThat(importer.importFile(Files.writeString(testDb.directory().resolve("b.csv"),
                    "source_key,name\nA2,李四\n"), into("agent"), null, n -> { }).accepted()).isEqualTo(1);

            // a channel inserted in SQL, even with the signature of another row copied in
            var signed = db.dsl().selectFrom(CHANNEL).fetchSingle();
            db.dsl().insertInto(CHANNEL).set(CHANNEL.CODE, "rogue").set(CHANNEL.NAME, "rogue")
                    .set(CHANNEL.OWNER, "个人业务部").set(CHANNEL.SET_SEQ, signed.getSetSeq())
                    .set(CHANNEL.MAC, signed.getMac()).execute();
            assertRefused(importer, file, "channel 'rogue' was added or changed outside cim");
        }
    }

    private static void assertRefused(Importer importer, Path file, String message) {
        assertThatThrownBy(() -> importer.importFile(file, ImportOptions.into("agent").withForce(true), null, n -> { }))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void channelsAreAddedAndChangedByAnAdminAndAudited(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            db.dsl().transaction(tx -> Channels.add(tx.dsl(), AUDIT, "bank-icbc", "工行银保", "银保部"));
            for (String[] bad : new String[][] {{"Bank", "n", "o"}, {"a/b", "n", "o"}, {"bank-icbc", "n", "o"},
                    {"web", " ", "o"}, {"web", "n", ""}}) {
                assertThatThrownBy(() -> db.dsl().transaction(tx -> Channels.add(tx.dsl(), AUDIT, bad[0], bad[1],
                        bad[2]))).isInstanceOfSatisfying(CimException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.USAGE));
            }
            Channels.Channel changed = db.dsl().transactionResult(tx -> Channels.set(tx.dsl(), AUDIT, "bank-icbc",
                    null, "渠道管理部", "reorganisation"));
            assertThat(changed.owner()).isEqualTo("渠道管理部");
            assertThat(changed.name()).isEqualTo("工行银保");
            assertThatThrownBy(() -> db.dsl().transaction(tx -> Channels.set(tx.dsl(), AUDIT, "nope", "n", null,
                    "r"))).isInstanceOf(CimException.class);
            assertThat(db.dsl().select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION
                    .startsWith("channels.")).orderBy(AUDIT_EVENT.SEQ).fetch(AUDIT_EVENT.ACTION))
                    .containsExactly("channels.add", "channels.set");
            assertThat(db.dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION
                    .eq("channels.set")).fetchOne(AUDIT_EVENT.DETAIL)).contains("银保部", "渠道管理部");
        }
    }
}
