package cim.core.ingest;

import cim.core.protect.CustomerField;
import org.jooq.DSLContext;

import java.util.List;

/**
 * The set-based step from staging to source records: each staged row becomes a new version of its channel + key
 * (after the current one, which may have come earlier in the same file), the newest of them current, and the
 * versions it supersedes no longer current.
 */
final class Merge {
    private Merge() {
    }

    /**
     * Merges the batch's staged rows; returns how many of them repeat the channel and key of an earlier line of the
     * same file (only a staged row can: a row whose key is certainly new is not staged).
     */
    static long apply(DSLContext tx, long batch, boolean deleteStaged) {
        List<String> fields = CustomerField.STORED_COLUMNS;
        String columns = String.join(", ", fields);
        String staged = "s." + String.join(", s.", fields);
        tx.execute("INSERT INTO source_record (source_system, source_key, version, is_current, batch_id, line_no, "
                + "customer_type, status, branch, collected_at, cleansed, " + columns + ", issues) "
                + "SELECT s.source_system, s.source_key, "
                + "COALESCE(c.version, 0) + ROW_NUMBER() OVER (PARTITION BY s.source_system, s.source_key ORDER BY s.line_no), "
                + "CASE WHEN ROW_NUMBER() OVER (PARTITION BY s.source_system, s.source_key ORDER BY s.line_no DESC) = 1 "
                + "THEN TRUE ELSE FALSE END, "
                + "s.batch_id, s.line_no, s.customer_type, s.status, s.branch, s.collected_at, s.cleansed, " + staged
                + ", s.issues "
                + "FROM import_staging s LEFT JOIN source_record c ON c.is_current "
                + "AND c.source_system = s.source_system AND c.source_key = s.source_key "
                + "WHERE s.batch_id = ?", batch);
        tx.execute("UPDATE source_record SET is_current = FALSE WHERE is_current AND EXISTS ("
                + "SELECT 1 FROM import_staging s WHERE s.batch_id = ? AND s.source_system = source_record.source_system "
                + "AND s.source_key = source_record.source_key "
                + "AND (source_record.batch_id <> ? OR source_record.line_no < s.line_no))", batch, batch);
        // after the insert, every line of the file is a version of this batch: those beyond one per key repeat (by
        // the batch's index, so a key's older history is not walked)
        long repeated = tx.fetchOne("SELECT (SELECT COUNT(*) FROM source_record WHERE batch_id = ?) - (SELECT COUNT(*) "
                + "FROM (SELECT DISTINCT source_system, source_key FROM source_record WHERE batch_id = ?) k)", batch,
                batch).get(0, Long.class);
        if (deleteStaged) {
            tx.execute("DELETE FROM import_staging WHERE batch_id = ?", batch);
        }
        return repeated;
    }
}
