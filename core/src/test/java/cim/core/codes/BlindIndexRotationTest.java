package cim.core.codes;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.audit.AuditVerifier;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.ingest.ImportOptions;
import cim.core.ingest.Importer;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeyBinding;
import cim.core.protect.Keyring;
import cim.core.protect.ProtectedLookup;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blind-index key rotates: an old keyset (one that leaked) then finds nothing by value, while the new one finds
 * and matches as before; a killed rotation is finished by running it again, and nothing else runs meanwhile.
 */
class BlindIndexRotationTest {
    private static final String ID = "11010519491231002X";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void anOldKeysetFindsNothingAfterARotationAndTheNewOneMatchesAsBefore(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            Keyring first = Keyring.generate();
            AuditTrail audit = new AuditTrail(AuditContext.of("admin", "cim keys"), first.auditKey());
            cim.core.testing.TestChannels.register(db, audit, cim.core.testing.TestChannels.COMMON);
            KeyBinding.bind(db.dsl(), first, "k1", audit);
            cim.core.testing.TestKeys.signRegistry(db, first);
            FieldProtector old = new FieldProtector(first);
            StringBuilder csv = new StringBuilder("source_key,name,id_number,mobile,address\n");
            csv.append("A1,张丽,").append(ID).append(",13812341234,北京市海淀区中关村大街1号\n");
            // six of one name in one district, then a seventh: their name-and-district key is crowded
            for (int i = 0; i < 6; i++) {
                csv.append("W").append(i).append(",王伟,,1390000000").append(i).append(",北京市朝阳区建国路")
                        .append(i).append("号\n");
            }
            load(db, audit, old, testDb.directory(), csv.toString());
            new CodeAssigner(db, audit, old).assign(CodesFixtures.options(false), n -> { });
            load(db, audit, old, testDb.directory(), "source_key,name,mobile,address\nW6,王伟,13900000006,"
                    + "北京市朝阳区建国路6号\n");
            new CodeAssigner(db, audit, old).assign(CodesFixtures.options(false), n -> { });
            String code = db.dsl().select(CUSTOMER.CODE).from(CUSTOMER).where(CUSTOMER.ID_NUMBER_BIDX.isNotNull())
                    .fetchSingle(CUSTOMER.CODE);
            assertThat(new ProtectedLookup(db.dsl(), old).customers(CustomerField.ID_NUMBER, ID)).containsExactly(code);
            Set<Long> keysBefore = new HashSet<>(db.dsl().select(MATCH_KEY.MATCH_KEY_).from(MATCH_KEY)
                    .fetch(MATCH_KEY.MATCH_KEY_));
            List<Long> crowdedBefore = db.dsl().select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY)
                    .fetch(CROWDED_KEY.MATCH_KEY);
            assertThat(crowdedBefore).as("the fixture has a crowded key").isNotEmpty();
            int matchKeys = db.dsl().fetchCount(MATCH_KEY);

            // killed after its first batch
            List<Keyring> saved = new ArrayList<>();
            BlindIndexRotation rotation = new BlindIndexRotation(db, audit);
            assertThatThrownBy(() -> rotation.rotate(first, saved::add, 3, n -> {
                throw new IllegalStateException("killed");
            })).hasMessage("killed");
            Keyring second = saved.get(0);
            assertThat(second.blindIndexKey()).isNotEqualTo(first.blindIndexKey());
            assertThat(second.blindIndexKeys()).contains(first.blindIndexKey());
            assertThat(second.auditKey().mac("x")).as("the audit key stays").isEqualTo(first.auditKey().mac("x"));
            for (Keyring keyset : List.of(first, second)) {
                assertThatThrownBy(() -> KeyBinding.bind(db.dsl(), keyset, "k", audit))
                        .as("nothing else runs while indexes are under two keys")
                        .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure())
                                .isIn(Failure.LOCKED, Failure.NOT_PERMITTED));
            }
            assertThatThrownBy(() -> rotation.rotate(first, saved::add, 3, n -> { }))
                    .as("resumed only with the keyset it wrote").isInstanceOfSatisfying(CimException.class,
                            e -> assertThat(e.hint()).contains("the keyset that rotation wrote"));

            KeyBinding.bind(db.dsl(), second, "k2", audit, true);
            BlindIndexRotation.Outcome outcome = rotation.rotate(second, saved::add, 3, n -> { });
            assertThat(outcome.resumed()).isTrue();
            assertThat(outcome.oldKeyId()).isEqualTo(first.blindIndexKey());
            Keyring last = saved.get(saved.size() - 1);
            assertThat(last.blindIndexKeys()).as("the old key is dropped from the file")
                    .containsExactly(second.blindIndexKey());
            FieldProtector next = new FieldProtector(last);

            KeyBinding.bind(db.dsl(), last, "k3", audit);
            assertThatThrownBy(() -> KeyBinding.bind(db.dsl(), first, "leaked", audit))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure())
                            .isEqualTo(Failure.NOT_PERMITTED));
            assertThat(new ProtectedLookup(db.dsl(), old).customers(CustomerField.ID_NUMBER, ID))
                    .as("the leaked key's index finds nothing").isEmpty();
            assertThat(db.dsl().fetchCount(SOURCE_RECORD, SOURCE_RECORD.MOBILE_BIDX
                    .eq(old.blindIndex(CustomerField.MOBILE, "13812341234")))).isZero();
            assertThat(new ProtectedLookup(db.dsl(), next).customers(CustomerField.ID_NUMBER, ID)).containsExactly(code);
            assertThat(db.dsl().fetchCount(SOURCE_RECORD, SOURCE_RECORD.MOBILE_BIDX
                    .eq(next.blindIndex(CustomerField.MOBILE, "13812341234")))).isEqualTo(1);

            assertThat(db.dsl().fetchCount(MATCH_KEY)).isEqualTo(matchKeys);
            assertThat(db.dsl().select(MATCH_KEY.MATCH_KEY_).from(MATCH_KEY).fetch(MATCH_KEY.MATCH_KEY_))
                    .as("every match key re-keyed").doesNotContainAnyElementsOf(keysBefore);
            List<Long> crowdedAfter = db.dsl().select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY)
                    .fetch(CROWDED_KEY.MATCH_KEY);
            assertThat(crowdedAfter).hasSameSizeAs(crowdedBefore).doesNotContainAnyElementsOf(crowdedBefore);

            // the same person from another channel still links to the customer, and the crowd is still not followed
            load(db, audit, next, testDb.directory(), "source_key,name,id_number,mobile,address\n"
                    + "B1,张丽," + ID + ",,\nB2,王伟,,13600000000,北京市朝阳区建国路99号\n");
            CodeAssigner.Result again = new CodeAssigner(db, audit, next).assign(CodesFixtures.options(false),
                    n -> { });
            assertThat(again.linked()).as(again.toString()).isEqualTo(1);
            assertThat(again.review()).as("the crowded name-and-district key still leads nowhere").isZero();
            assertThat(AuditVerifier.verify(db.dsl(), last.auditKey()).ok()).isTrue();
        }
    }

    /** A keyset from before the audit chain had a key of its own derived it from the blind-index key: it stays. */
    @Test
    void aKeysetThatDerivedItsAuditKeyKeepsItThroughARotation() {
        Keyring fresh = Keyring.generate();
        String json = fresh.toJson();
        String legacyJson = json.substring(0, json.indexOf(",\n  \"audit\"")) + "\n}\n";
        Keyring legacy = Keyring.fromJson(legacyJson, "legacy.json");
        assertThat(legacy.auditKey().acceptsUnkeyed()).isTrue();
        Keyring rotated = legacy.withNewBlindIndexKey().withOnlyPrimaryBlindIndexKey();
        Keyring read = Keyring.fromJson(rotated.toJson(), "rotated.json");
        assertThat(read.blindIndexKey()).isNotEqualTo(legacy.blindIndexKey());
        assertThat(read.auditKey().mac("link")).isEqualTo(legacy.auditKey().mac("link"));
        assertThat(read.auditKey().acceptsUnkeyed()).isTrue();
    }

    private static void load(Database db, AuditTrail audit, FieldProtector protector, Path dir, String csv)
            throws java.io.IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "rotation", ".csv"), csv);
        new Importer(db, audit, protector).importFile(file, ImportOptions.into("agent"), null, n -> { });
    }
}
