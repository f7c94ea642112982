package cim.core.audit;

import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;

import java.nio.file.Path;

/** Run as a separate JVM by {@link AuditTrailTest}: appends N events, each in its own transaction. */
public final class AppendProcess {
    public static void main(String[] args) {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        String name = args[2];
        try (Database db = Database.open(DatabaseTarget.parse(url, Path.of(".")), new Credentials(null, null), null)) {
            AuditTrail trail = new AuditTrail(AuditContext.of(name, "test append"), cim.core.testing.TestKeys.AUDIT);
            for (int i = 0; i < count; i++) {
                int n = i;
                db.dsl().transaction(tx -> trail.append(tx.dsl(), AuditEntry.of("test.append").object("worker", name)
                        .rows(n)));
            }
        }
    }
}
