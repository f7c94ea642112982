package cim.core.policy;

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

import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CUSTOMER_POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy's versions in the database: the default until one is set, each set audited and signed, and a version
 * changed or deleted outside cim refused rather than applied.
 */
class PolicyStoreTest {
    private static final AuditTrail AUDIT = new AuditTrail(AuditContext.of("admin", "cim policy"), TestKeys.AUDIT);
    private static final String STRICT = "admission:\n  PERSON: {require: [name, id_number]}\n  ORG: {}\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void versionsAreSetAuditedAndRead(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            PolicyStore.Stored initial = PolicyStore.current(db.dsl(), TestKeys.AUDIT);
            assertThat(initial.builtIn()).isTrue();
            assertThat(initial.body()).isEqualTo(Policy.DEFAULT_YAML);

            PolicyStore.Stored first = db.dsl().transactionResult(tx -> PolicyStore.set(tx.dsl(), AUDIT, STRICT,
                    "strict.yaml", "new admission rule"));
            assertThat(first.policy().version()).isEqualTo(1);
            PolicyStore.Stored second = db.dsl().transactionResult(tx -> PolicyStore.set(tx.dsl(), AUDIT,
                    "admission: {}\n", "open.yaml", "admit everyone for the migration"));
            assertThat(second.policy().version()).isEqualTo(2);

            PolicyStore.Stored current = PolicyStore.current(db.dsl(), TestKeys.AUDIT);
            assertThat(current.policy().version()).isEqualTo(2);
            assertThat(current.policy().admission().byType()).isEmpty();
            assertThat(current.reason()).isEqualTo("admit everyone for the migration");
            assertThat(current.actor()).isEqualTo("admin");
            assertThat(PolicyStore.history(db.dsl(), TestKeys.AUDIT)).hasSize(2).containsValues(true, true);
            assertThat(db.dsl().select(AUDIT_EVENT.OBJECT_ID, AUDIT_EVENT.REASON).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.ACTION.eq("policy.set")).orderBy(AUDIT_EVENT.SEQ).fetch(AUDIT_EVENT.OBJECT_ID))
                    .containsExactly("1", "2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aBadFileStoresNothing(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            assertThatThrownBy(() -> db.dsl().transaction(tx -> PolicyStore.set(tx.dsl(), AUDIT,
                    "admission:\n  PERSON: {require: [nmae]}\n", "bad.yaml", "typo")))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION);
                        assertThat(e.getMessage()).startsWith("bad.yaml:2: unknown field 'nmae'");
                    });
            assertThat(db.dsl().fetchCount(CUSTOMER_POLICY)).isZero();
            assertThat(db.dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("policy.set"))).isZero();
        }
    }

    /** A DBA who edits the policy's body, or deletes the newest version to bring back an older one, is found out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aPolicyChangedOutsideCimIsRefused(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            db.dsl().transaction(tx -> PolicyStore.set(tx.dsl(), AUDIT, STRICT, "strict.yaml", "strict"));
            db.dsl().transaction(tx -> PolicyStore.set(tx.dsl(), AUDIT, STRICT + "merging: {link_threshold: 8}\n",
                    "stricter.yaml", "stricter"));

            db.dsl().update(CUSTOMER_POLICY).set(CUSTOMER_POLICY.BODY, "admission: {}\n")
                    .where(CUSTOMER_POLICY.VERSION.eq(2)).execute();
            assertRefused(db, "version 2 does not carry cim's signature");
            assertThat(PolicyStore.history(db.dsl(), TestKeys.AUDIT)).containsValues(false, true);

            // an admin with the keyset who signs a row of their own: it is not the row the newest event set
            var first = db.dsl().selectFrom(CUSTOMER_POLICY).where(CUSTOMER_POLICY.VERSION.eq(1)).fetchSingle();
            var second = db.dsl().selectFrom(CUSTOMER_POLICY).where(CUSTOMER_POLICY.VERSION.eq(2)).fetchSingle();
            second.setBody(first.getBody());
            second.setExpanded(first.getExpanded());
            second.setSha256(first.getSha256());
            second.setMac(PolicyStore.mac(TestKeys.AUDIT, second));
            second.store();
            assertRefused(db, "version 2 does not carry cim's signature, or is not the newest one set");

            db.dsl().deleteFrom(CUSTOMER_POLICY).where(CUSTOMER_POLICY.VERSION.eq(2)).execute();
            assertRefused(db, "version 1 does not carry cim's signature, or is not the newest one set");
            // nor does version 1 pass under the newest event's number
            first.setSetSeq(second.getSetSeq());
            first.setMac(PolicyStore.mac(TestKeys.AUDIT, first));
            first.store();
            assertRefused(db, "version 1 does not carry cim's signature, or is not the newest one set");

            db.dsl().deleteFrom(CUSTOMER_POLICY).execute();
            assertRefused(db, "its versions were deleted");
        }
    }

    private static void assertRefused(Database db, String message) {
        assertThatThrownBy(() -> PolicyStore.current(db.dsl(), TestKeys.AUDIT))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.NOT_PERMITTED);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
