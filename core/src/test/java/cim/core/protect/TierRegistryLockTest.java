package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.testing.TestDatabase;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tier registry's lock on PostgreSQL: imports share it, a change of tier takes it alone, and waits for imports
 * under way only so long (then exit 75), since every import started meanwhile queues behind the change.
 */
class TierRegistryLockTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#postgresql")
    void aChangeWaitsForImportsUnderWayOnlySoLong(Backend backend) throws Exception {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open();
             Connection importing = db.dataSource().getConnection();
             Connection other = db.dataSource().getConnection()) {
            importing.setAutoCommit(false);
            TierRegistry.lockForWriting(DSL.using(importing, db.dsl().dialect()));
            other.setAutoCommit(false);
            // a second import shares it
            TierRegistry.lockForWriting(DSL.using(other, db.dsl().dialect()));
            other.rollback();

            assertThatThrownBy(() -> db.dsl().transaction(tx -> TierRegistry.lockForChange(tx.dsl(),
                    Duration.ofSeconds(1))))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.LOCKED))
                    .hasMessageContaining("imports under way still hold the tier registry after 1 s");

            importing.commit();
            db.dsl().transaction(tx -> TierRegistry.lockForChange(tx.dsl(), Duration.ofSeconds(1)));
        }
    }
}
