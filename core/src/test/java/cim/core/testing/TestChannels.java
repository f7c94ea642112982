package cim.core.testing;

import cim.core.db.Database;

import static cim.core.db.schema.Tables.CHANNEL;

/** Registers the channels a test imports into (an import into another is refused), as a migrated test database. */
public final class TestChannels {
    private TestChannels() {
    }

    /** The channels the tests import into. */
    public static final String[] COMMON = {"agent", "web", "mixed", "sample", "again", "crm", "wechat", "bank",
        "direct", "car", "telesales", "broker", "call"};

    /** The channels the tests import into, registered. */
    public static void registerCommon(Database db) {
        register(db, COMMON);
    }

    /** Each channel not registered yet, owned by a test department. */
    public static void register(Database db, String... codes) {
        for (String code : codes) {
            if (!db.dsl().fetchExists(CHANNEL, CHANNEL.CODE.eq(code))) {
                db.dsl().insertInto(CHANNEL).set(CHANNEL.CODE, code).set(CHANNEL.NAME, code)
                        .set(CHANNEL.OWNER, "test department").execute();
            }
        }
    }
}
