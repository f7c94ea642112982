package cim.core.db;

import cim.core.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatisticsTest {
    /** A table codes assign keeps statistics for (the owner's cim_analyze only analyses those). */
    private static final Map<String, List<String>> GROWN = Map.of("crowded_key", List.of("match_key"));
    private static int added;

    /** On one connection: rows added and their counts handed to the statistics at once. */
    private static void add(DSLContext dsl, int rows) {
        dsl.execute("INSERT INTO crowded_key (match_key) SELECT x FROM generate_series(" + (added + 1) + ", "
                + (added + rows) + ") AS g(x)");
        added += rows;
        dsl.fetch("SELECT pg_stat_force_next_flush()");
    }

    private static long analyses(DSLContext dsl) {
        // a new snapshot of the statistics, not the one this transaction first saw
        dsl.fetch("SELECT pg_stat_clear_snapshot()");
        return dsl.fetchOne("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'crowded_key'")
                .get(0, Long.class);
    }

    /** A table never analysed is analysed; then again only once it has twice the rows of its last analysis. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aTableIsAnalysedWhenNeverAnalysedAndWhenItHasDoubled(Backend backend) throws Exception {
        added = 0;
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open();
             Connection connection = testDb.connect()) {
            new Migrations(db).migrate();
            connection.setAutoCommit(true);
            DSLContext dsl = DSL.using(connection, backend.dialect());
            if (backend != Backend.POSTGRESQL) {
                Statistics.refresh(dsl, GROWN);
                return;
            }
            add(dsl, 3_000);
            Statistics.refresh(dsl, GROWN);
            assertThat(analyses(dsl)).as("never analysed").isEqualTo(1);

            add(dsl, 2_000);
            Statistics.refresh(dsl, GROWN);
            assertThat(analyses(dsl)).as("5,000 rows: not yet twice the 3,000 analysed").isEqualTo(1);

            dsl.execute("UPDATE crowded_key SET match_key = match_key + 1000000000");
            dsl.fetch("SELECT pg_stat_force_next_flush()");
            Statistics.refresh(dsl, GROWN);
            assertThat(analyses(dsl)).as("updates are no growth").isEqualTo(1);

            add(dsl, 2_000);
            Statistics.refresh(dsl, GROWN);
            assertThat(analyses(dsl)).as("7,000 rows: more than twice").isEqualTo(2);
        }
    }
}
