package cim.core.db;

import org.jooq.SQLDialect;

/** The two databases cim runs on, each with the {@link Engine} of what differs on it. */
public enum Backend {
    H2("h2", "H2", SQLDialect.H2, new H2Engine()),
    POSTGRESQL("postgresql", "PostgreSQL", SQLDialect.POSTGRES, new PostgresEngine());

    private final String flywayVendor;
    private final String title;
    private final SQLDialect dialect;
    private final Engine engine;

    Backend(String flywayVendor, String title, SQLDialect dialect, Engine engine) {
        this.flywayVendor = flywayVendor;
        this.title = title;
        this.dialect = dialect;
        this.engine = engine;
    }

    /** The backend a jOOQ dialect is of. */
    public static Backend of(SQLDialect dialect) {
        return dialect.family() == SQLDialect.POSTGRES ? POSTGRESQL : H2;
    }

    /** What a database error means, asked of every backend's engine (their SQL states do not overlap). */
    public static java.util.Optional<cim.core.Failure> failureOf(java.sql.SQLException e) {
        for (Backend backend : values()) {
            java.util.Optional<cim.core.Failure> failure = backend.engine.failure(e);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether the error says the connection went away: the standard's class 08, or a backend's own errors. */
    public static boolean connectionLost(java.sql.SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || java.util.Arrays.stream(values()).anyMatch(b -> b.engine.connectionLost(e));
    }

    /** The folder of vendor-specific migrations under {@code db/migration/}, and the name db status shows. */
    public String flywayVendor() {
        return flywayVendor;
    }

    /** Its name for people: H2, PostgreSQL. */
    public String title() {
        return title;
    }

    public SQLDialect dialect() {
        return dialect;
    }

    public Engine engine() {
        return engine;
    }
}
