package cim.core.audit;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/** The embedded database's guard that keeps the audit trail append-only (PostgreSQL has a PL/pgSQL trigger). */
public final class AppendOnlyTrigger implements Trigger {
    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("the audit trail is append-only: changing " + table + " is refused", "42501");
    }
}
