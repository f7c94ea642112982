package cim.core.codes;

import cim.core.db.Engine;
import org.jooq.DSLContext;

/**
 * The index of match_key by key, which only {@code codes assign} reads (under its lock) and only when it looks keys
 * up in the database. A run that holds all the keys in memory ({@link RunKeys}) never does: it drops the index
 * before its first chunk and builds it again, in one sort, when it ends (however it ends), which costs a fraction
 * of maintaining it row by row (millions of random inserts). A run killed in between leaves the index missing;
 * every run builds it again at its start, before any lookup.
 */
final class KeyIndex {
    private KeyIndex() {
    }

    /** The index is there (built now if a run was stopped before it could build it). */
    static void ensure(DSLContext dsl) {
        Engine.of(dsl).matchKeyIndex(dsl, true);
    }

    /** Runs {@code work} (a run that holds its keys in memory) with the index dropped, and builds it again after. */
    static void without(DSLContext dsl, Runnable work) {
        Engine.of(dsl).matchKeyIndex(dsl, false);
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            try {
                ensure(dsl);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        ensure(dsl);
    }
}
