package cim.core.testing;

import cim.core.audit.AuditContext;
import cim.core.audit.AuditTrail;
import cim.core.db.Database;
import cim.core.ingest.Channels;

import static cim.core.db.schema.Tables.CHANNEL;

/** Registers the channels a test imports into (an import into another is refused), as an admin would. */
public final class TestChannels {
    /** The channels the tests import into. */
    public static final String[] COMMON = {"agent", "web", "mixed", "sample", "again", "crm", "wechat", "bank",
        "direct", "car", "telesales", "broker", "call", "app"};
    private static final AuditTrail ADMIN = new AuditTrail(AuditContext.of("admin", "cim channels add"),
            TestKeys.AUDIT);

    private TestChannels() {
    }

    /** The channels the tests import into, registered. */
    public static void registerCommon(Database db) {
        register(db, COMMON);
    }

    /** Each channel not registered yet, owned by a test department, signed under the tests' audit key. */
    public static void register(Database db, String... codes) {
        register(db, ADMIN, codes);
    }

    /** The same, signed under the audit key of {@code admin} (a test with a keyring of its own). */
    public static void register(Database db, AuditTrail admin, String... codes) {
        for (String code : codes) {
            if (!db.dsl().fetchExists(CHANNEL, CHANNEL.CODE.eq(code))) {
                db.dsl().transaction(tx -> Channels.add(tx.dsl(), admin, code, code, "test department"));
            }
        }
    }
}
