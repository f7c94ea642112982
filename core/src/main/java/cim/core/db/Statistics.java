package cim.core.db;

import org.jooq.DSLContext;

import java.util.List;
import java.util.Map;

/**
 * Keeps PostgreSQL's planner statistics current for tables a job is growing fast: a table never analysed, or
 * grown to twice the rows it held at its last analysis, is analysed now. Without it a bulk
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

    /**
     * Analyses those of the tables whose statistics are stale, each over the columns given for it (the ones its
     * lookups filter or join on: every analysis brings the table's size up to date, and a table of wide sealed
     * values costs many times as much to analyse whole); cheap when none is stale.
     */
    public static void refresh(DSLContext dsl, Map<String, List<String>> columnsByTable) {
        Engine.of(dsl).refreshStatistics(dsl, columnsByTable);
    }
}
