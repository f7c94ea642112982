package cim.core.db;

import org.jooq.SQLDialect;

/** The two databases cim runs on. */
public enum Backend {
    H2("h2", SQLDialect.H2),
    POSTGRESQL("postgresql", SQLDialect.POSTGRES);

    private final String flywayVendor;
    private final SQLDialect dialect;

    Backend(String flywayVendor, SQLDialect dialect) {
        this.flywayVendor = flywayVendor;
        this.dialect = dialect;
    }

    /** The folder of vendor-specific migrations under {@code db/migration/}. */
    public String flywayVendor() {
        return flywayVendor;
    }

    public SQLDialect dialect() {
        return dialect;
    }
}
