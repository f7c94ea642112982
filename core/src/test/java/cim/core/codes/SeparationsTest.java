package cim.core.codes;

import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.db.Migrations;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static org.assertj.core.api.Assertions.assertThat;

class SeparationsTest {
    /**
     * Held for the whole run while few, read per chunk past the limit: either way a pair is separated in either
     * order, and only those a steward made are.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void aSeparatedPairIsFoundWhetherTheRunHoldsThemAllOrReadsThemPerChunk(Backend backend) {
        try (TestDatabase testDb = TestDatabase.create(backend); Database db = testDb.open()) {
            new Migrations(db).migrate();
            for (String[] pair : List.of(new String[] {"P1", "P2"}, new String[] {"P3", "P9"},
                    new String[] {"G1", "G2"})) {
                db.dsl().insertInto(CODE_SEPARATION).set(CODE_SEPARATION.CODE_A, pair[0])
                        .set(CODE_SEPARATION.CODE_B, pair[1]).set(CODE_SEPARATION.ACTOR, "steward").execute();
            }
            Separations held = Separations.forRun(db.dsl(), 3).among(db.dsl(), List.of("P2"));
            assertThat(held.separated("P2", "P1")).isTrue();
            assertThat(held.separated("P9", "P3")).as("all held, whatever the chunk loaded").isTrue();
            assertThat(held.separated("P1", "P3")).isFalse();

            Separations perChunk = Separations.forRun(db.dsl(), 2).among(db.dsl(), List.of("P2", "G2"));
            assertThat(perChunk.separated("P1", "P2")).isTrue();
            assertThat(perChunk.separated("G2", "G1")).isTrue();
            assertThat(perChunk.separated("P3", "P9")).as("not a customer of this chunk").isFalse();

            // a customer that took in one of two separated customers, earlier in the run: separated from the other
            for (int limit : new int[] {3, 2}) {
                Separations run = Separations.forRun(db.dsl(), limit);
                run.merged("P1", "P7");
                assertThat(run.among(db.dsl(), List.of("P7", "P2")).separated("P7", "P2")).as("limit " + limit)
                        .isTrue();
                assertThat(run.among(db.dsl(), List.of("P7", "P3")).separated("P7", "P3")).as("limit " + limit)
                        .isFalse();
            }
        }
    }
}
