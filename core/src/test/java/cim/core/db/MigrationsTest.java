package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.testing.TestDatabase;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.IMPORT_BATCH;
import static cim.core.db.schema.Tables.MATCH_KEY;
import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static cim.core.db.schema.Tables.TIER_POLICY;
import static cim.core.db.schema.Tables.TIER_REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void migrateIsIdempotentAndSeedsTheTierRegistry(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Migrations migrations = new Migrations(db);
            assertThat(migrations.currentVersion()).isNull();
            assertThatThrownBy(migrations::requireCurrent).isInstanceOf(CimException.class)
                    .hasMessageContaining("no cim schema");

            Migrations.Outcome first = migrations.migrate();
            assertThat(first.applied()).isGreaterThan(0);
            assertThat(first.fromVersion()).isNull();
            assertThat(first.toVersion()).as("Migrations.LATEST names the newest script").isEqualTo(Migrations.LATEST);
            assertThat(migrations.pendingCount()).isZero();
            Migrations.Outcome again = migrations.migrate();
            assertThat(again.applied()).isZero();
            assertThat(again.toVersion()).isEqualTo(first.toVersion());
            migrations.requireCurrent();

            assertThat(db.dsl().fetchCount(TIER_POLICY)).isEqualTo(3);
            assertThat(db.dsl().fetchCount(TIER_REGISTRY)).isEqualTo(28);
            assertThat(db.dsl().fetchCount(TIER_REGISTRY, TIER_REGISTRY.TIER.eq((short) 1))).isEqualTo(11);
            assertThat(db.dsl().selectDistinct(TIER_REGISTRY.CATEGORY).from(TIER_REGISTRY).fetch()).hasSize(10);

            db.dsl().execute("UPDATE cim_schema_history SET version = '99' WHERE version = '" + Migrations.LATEST + "'");
            assertThatThrownBy(migrations::migrate).hasMessageContaining("version 99, newer than this cim");
            assertThatThrownBy(migrations::requireCurrent).hasMessageContaining("newer than this cim");
            db.dsl().execute("UPDATE cim_schema_history SET version = '" + Migrations.LATEST + "' WHERE version = '99'");

            DatabaseStatus status = DatabaseStatus.of(db);
            assertThat(status.backend()).isEqualTo(backend);
            assertThat(status.schemaVersion()).isEqualTo(first.toVersion());
            assertThat(status.rowCounts()).containsEntry("tier_registry", 28L);
        }
    }

    /** On PostgreSQL a trigger per statement stands in for the foreign key: the same refusals on both backends. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aSourceRecordNamesAnExistingBatchAndABatchWithRecordsStays(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            long batch = db.dsl().insertInto(IMPORT_BATCH).set(IMPORT_BATCH.SOURCE_SYSTEM, "web")
                    .set(IMPORT_BATCH.FILE_NAME, "f.csv").set(IMPORT_BATCH.FILE_SHA256, "00").set(IMPORT_BATCH.FORMAT, "csv")
                    .set(IMPORT_BATCH.ENCODING, "UTF-8").set(IMPORT_BATCH.STATE, "loading").set(IMPORT_BATCH.ACTOR, "t")
                    .returning(IMPORT_BATCH.ID).fetchSingle().getId();
            db.dsl().insertInto(SOURCE_RECORD).set(SOURCE_RECORD.SOURCE_SYSTEM, "web").set(SOURCE_RECORD.SOURCE_KEY, "K1")
                    .set(SOURCE_RECORD.BATCH_ID, batch).execute();

            assertThatThrownBy(() -> db.dsl().insertInto(SOURCE_RECORD).set(SOURCE_RECORD.SOURCE_SYSTEM, "web")
                    .set(SOURCE_RECORD.SOURCE_KEY, "K2").set(SOURCE_RECORD.BATCH_ID, batch + 100).execute())
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.dsl().update(SOURCE_RECORD).set(SOURCE_RECORD.BATCH_ID, batch + 100).execute())
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.dsl().deleteFrom(IMPORT_BATCH).execute()).isInstanceOf(DataAccessException.class);
            db.dsl().update(IMPORT_BATCH).set(IMPORT_BATCH.STATE, "committed").execute();
            assertThat(db.dsl().fetchCount(SOURCE_RECORD)).isEqualTo(1);
            assertThat(db.dsl().fetchCount(IMPORT_BATCH)).isEqualTo(1);
        }
    }

    /**
     * Version 11 turns each blocking key stored as 32 hex digits into its first 64 bits, the number the matcher
     * now computes (the top digit gives the sign); crowded keys that become equal are kept once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void version11KeepsTheFirstSixtyFourBitsOfEveryBlockingKey(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Migrations migrations = new Migrations(db);
            migrations.migrateTo("10");
            List<String> hashes = new ArrayList<>(List.of("0123456789abcdef0123456789abcdef",
                    "ffffffffffffffff0000000000000000", "8000000000000000ffffffffffffffff",
                    "7fffffffffffffff0000000000000000", "0000000000000000ffffffffffffffff"));
            Random random = new Random(11);
            for (int i = 0; i < 50; i++) {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                hashes.add(HexFormat.of().formatHex(bytes));
            }
            for (int i = 0; i < hashes.size(); i++) {
                db.dsl().execute("INSERT INTO match_key (match_key, customer_code, record_id) VALUES (?, ?, ?)",
                        hashes.get(i), "P" + i, (long) i);
            }
            for (String crowded : List.of("8000000000000000ffffffffffffffff", "8000000000000000aaaaaaaaaaaaaaaa",
                    "0123456789abcdef0123456789abcdef")) {
                db.dsl().execute("INSERT INTO crowded_key (match_key) VALUES (?)", crowded);
            }

            migrations.migrate();
            for (int i = 0; i < hashes.size(); i++) {
                assertThat(db.dsl().select(MATCH_KEY.MATCH_KEY_).from(MATCH_KEY).where(MATCH_KEY.RECORD_ID.eq((long) i))
                        .fetchSingle(MATCH_KEY.MATCH_KEY_)).as(hashes.get(i))
                        .isEqualTo(Long.parseUnsignedLong(hashes.get(i).substring(0, 16), 16));
            }
            assertThat(db.dsl().select(CROWDED_KEY.MATCH_KEY).from(CROWDED_KEY).orderBy(CROWDED_KEY.MATCH_KEY)
                    .fetch(CROWDED_KEY.MATCH_KEY)).containsExactly(Long.MIN_VALUE, 0x0123456789abcdefL);
        }
    }

    /** Blind indexes are indexed where they are searched (the golden record), not on every source record. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void version12LeavesSourceRecordBlindIndexesUnindexed(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Migrations migrations = new Migrations(db);
            migrations.migrateTo("11");
            assertThat(indexedColumns(db, "source_record")).contains("id_number_bidx", "mobile_bidx");
            migrations.migrate();
            assertThat(indexedColumns(db, "source_record")).noneMatch(c -> c.endsWith("_bidx"))
                    .contains("id", "source_key", "batch_id");
            assertThat(indexedColumns(db, "customer")).contains("id_number_bidx", "mobile_bidx", "email_bidx");
        }
    }

    private static List<String> indexedColumns(Database db, String table) {
        return db.dsl().connectionResult(c -> {
            List<String> columns = new ArrayList<>();
            for (String name : List.of(table, table.toUpperCase(java.util.Locale.ROOT))) {
                try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(null, null, name, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("COLUMN_NAME") != null) {
                            columns.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }
            }
            return columns;
        });
    }

    /** Likewise a link names an existing customer, and a customer with links stays. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aLinkNamesAnExistingCustomerAndACustomerWithLinksStays(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            db.dsl().insertInto(CUSTOMER).set(CUSTOMER.CODE, "P0000000177").set(CUSTOMER.CUSTOMER_TYPE, "PERSON")
                    .execute();
            db.dsl().insertInto(CUSTOMER_LINK).set(CUSTOMER_LINK.SOURCE_SYSTEM, "web")
                    .set(CUSTOMER_LINK.SOURCE_KEY, "K1").set(CUSTOMER_LINK.CUSTOMER_CODE, "P0000000177")
                    .set(CUSTOMER_LINK.RULE, "new").set(CUSTOMER_LINK.LINKED_BY, "t").execute();

            assertThatThrownBy(() -> db.dsl().insertInto(CUSTOMER_LINK).set(CUSTOMER_LINK.SOURCE_SYSTEM, "web")
                    .set(CUSTOMER_LINK.SOURCE_KEY, "K2").set(CUSTOMER_LINK.CUSTOMER_CODE, "P0000000999")
                    .set(CUSTOMER_LINK.RULE, "new").set(CUSTOMER_LINK.LINKED_BY, "t").execute())
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.dsl().update(CUSTOMER_LINK).set(CUSTOMER_LINK.CUSTOMER_CODE, "P0000000999")
                    .execute()).isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.dsl().deleteFrom(CUSTOMER).execute()).isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.dsl().update(CUSTOMER).set(CUSTOMER.CODE, "P0000000185").execute())
                    .isInstanceOf(DataAccessException.class);
            db.dsl().update(CUSTOMER).set(CUSTOMER.STATUS, "INSURED").execute();
            assertThat(db.dsl().fetchCount(CUSTOMER_LINK)).isEqualTo(1);
            assertThat(db.dsl().fetchSingle(CUSTOMER).getCode()).isEqualTo("P0000000177");
        }
    }

    @Test
    void anUnreachableServerFailsFastNamingTheHost() {
        Instant start = Instant.now();
        DatabaseTarget target = DatabaseTarget.parse("jdbc:postgresql://127.0.0.1:1/cim", Path.of("."));
        assertThatThrownBy(() -> Database.open(target, new Credentials("root", null), null))
                .isInstanceOfSatisfying(CimException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.DATABASE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:1");
                });
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aRefusedLoginIsReportedAsSuch(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend)) {
            DatabaseTarget target = DatabaseTarget.parse(testDb.url(), testDb.directory());
            Credentials wrong;
            if (backend == Backend.POSTGRESQL) {
                target = DatabaseTarget.parse(testDb.url().replaceFirst("user=[^&]*", "user=cim_no_such_role"),
                        testDb.directory());
                wrong = new Credentials(null, "wrong");
            } else {
                testDb.open().close();
                wrong = new Credentials("sa", "wrong");
            }
            DatabaseTarget refused = target;
            assertThatThrownBy(() -> Database.open(refused, wrong, null))
                    .isInstanceOfSatisfying(CimException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.DATABASE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("refused the login");
                    });
        }
    }
    /**
     * A role given the admin profile before schema 16 may run the blind-index rotation after the upgrade: the
     * migration grants it the match-key rights 'db grant' now gives an admin.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void anAdminGrantedBeforeSchema16MayRekeyTheMatchKeysAfterIt(Backend backend) {
        String role = "cim_admin_" + Long.toHexString(new Random().nextLong() & 0xffffffffL);
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Migrations migrations = new Migrations(db);
            migrations.migrateTo("15.1");
            db.dsl().execute("CREATE ROLE " + role + " NOLOGIN");
            try {
                db.dsl().transaction(tx -> {
                    Profiles.grant(tx.dsl(), role, java.util.Set.of(Profiles.Profile.ADMIN));
                    // what 'db grant' gave an admin before schema 16
                    tx.dsl().execute("REVOKE INSERT, UPDATE, DELETE ON TABLE match_key FROM " + role);
                    tx.dsl().execute("REVOKE UPDATE ON TABLE crowded_key FROM " + role);
                });
                assertThat(privilege(db, role, "match_key", "UPDATE")).isFalse();
                migrations.migrate();
                for (String privilege : List.of("INSERT", "UPDATE", "DELETE")) {
                    assertThat(privilege(db, role, "match_key", privilege)).as(privilege).isTrue();
                }
                assertThat(privilege(db, role, "crowded_key", "UPDATE")).isTrue();
                assertThat(Profiles.tablePrivileges(java.util.Set.of(Profiles.Profile.ADMIN)).get("match_key"))
                        .as("and 'db grant' gives them").contains("INSERT", "UPDATE", "DELETE");
            } finally {
                db.dsl().execute("DROP OWNED BY " + role);
                db.dsl().execute("DROP ROLE " + role);
            }
        }
    }

    /**
     * Schema 17 replaces codes assign's id mark by coded batches: a batch with a record the mark skipped (unlinked)
     * stays to be coded, one whose records all have codes is coded. Clear values that begin like a marked one get
     * the escape.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void batchesWithRecordsTheOldMarkSkippedAreLeftToBeCoded(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            Migrations migrations = new Migrations(db);
            migrations.migrateTo("16.1");
            long skipped = batch(db);
            long empty = batch(db);
            db.dsl().insertInto(SOURCE_RECORD).set(SOURCE_RECORD.SOURCE_SYSTEM, "big")
                    .set(SOURCE_RECORD.SOURCE_KEY, "B1").set(SOURCE_RECORD.BATCH_ID, skipped)
                    .set(SOURCE_RECORD.CUSTOMER_TYPE, "PERSON").execute();
            db.dsl().insertInto(SOURCE_RECORD).set(SOURCE_RECORD.SOURCE_SYSTEM, "big")
                    .set(SOURCE_RECORD.SOURCE_KEY, "B2").set(SOURCE_RECORD.BATCH_ID, skipped)
                    .set(SOURCE_RECORD.CUSTOMER_TYPE, "PERSON").set(SOURCE_RECORD.NAME, "cim2:Bob")
                    .set(SOURCE_RECORD.ADDRESS, "cim0:Old Street 1").set(SOURCE_RECORD.EMAIL, "cim1:AAAA").execute();
            migrations.migrate();
            assertThat(db.dsl().select(IMPORT_BATCH.ID).from(IMPORT_BATCH).where(IMPORT_BATCH.CODED_AT.isNull())
                    .fetch(IMPORT_BATCH.ID)).containsExactly(skipped).doesNotContain(empty);
            var b2 = db.dsl().selectFrom(SOURCE_RECORD).where(SOURCE_RECORD.SOURCE_KEY.eq("B2")).fetchSingle();
            assertThat(b2.getName()).as("clear data that now reads as sealed gets the escape").isEqualTo("cim0:cim2:Bob");
            assertThat(b2.getAddress()).isEqualTo("cim0:cim0:Old Street 1");
            assertThat(b2.getEmail()).as("what cim sealed before stays").isEqualTo("cim1:AAAA");
        }
    }

    private static long batch(Database db) {
        return db.dsl().insertInto(IMPORT_BATCH).set(IMPORT_BATCH.SOURCE_SYSTEM, "big")
                .set(IMPORT_BATCH.FILE_NAME, "f.csv").set(IMPORT_BATCH.FILE_SHA256, "0".repeat(64))
                .set(IMPORT_BATCH.FORMAT, "csv").set(IMPORT_BATCH.ENCODING, "UTF-8")
                .set(IMPORT_BATCH.STATE, "committed").set(IMPORT_BATCH.ACTOR, "t")
                .returning(IMPORT_BATCH.ID).fetchSingle().getId();
    }

    private static boolean privilege(Database db, String role, String table, String privilege) {
        return Boolean.TRUE.equals(db.dsl().fetchValue("SELECT has_table_privilege(?, ?, ?)", role, table,
                privilege));
    }
}
