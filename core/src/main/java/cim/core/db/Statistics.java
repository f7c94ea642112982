package cim.core.db;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;

import java.util.List;

/**
 * Keeps PostgreSQL's planner statistics current for tables a job is growing fast: a table never analysed, or
 * changed by as many rows as it held at its last analysis (it doubled, say), is analysed now. Without it a bulk
 * job outruns autovacuum (or runs where it is off) and the planner, believing the tables empty, scans them whole
 * for every lookup; plans only need sizes right within a factor of two, and analysing more often cost a bulk
 * {@code codes assign} seconds. Analysing also drops the table's cached generic plans: a lookup planned as a
 * sequential scan while the table was tiny (or was vacuumed empty) and kept for the statement's later executions
 * tests every row against the whole IN list (a 1,000,000-record run once took over 1 s per such lookup). Nothing
 * to do on H2.
 */
public final class Statistics {
    private Statistics() {
    }

    /** Analyses those of {@code tables} whose statistics are stale; cheap when none is. */
    public static void refresh(DSLContext dsl, List<String> tables) {
        if (dsl.dialect().family() != SQLDialect.POSTGRES) {
            return;
        }
        List<String> stale = dsl.resultQuery("SELECT relname FROM pg_stat_user_tables WHERE relname = ANY (?) "
                        + "AND ((last_analyze IS NULL AND last_autoanalyze IS NULL AND n_live_tup + n_mod_since_analyze > 0) "
                        + "OR n_mod_since_analyze > 0.5 * GREATEST(n_live_tup, 5000))", (Object) tables.toArray(String[]::new))
                .fetch(0, String.class);
        for (String table : stale) {
            dsl.execute("ANALYZE " + table);
        }
    }
}
