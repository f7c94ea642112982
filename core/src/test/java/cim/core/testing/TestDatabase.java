package cim.core.testing;

import cim.core.db.Backend;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database of one backend for one test: an H2 file in a temporary directory, or a new PostgreSQL
 * database created on the server named by -Dcim.test.pg and dropped afterwards. A missing PostgreSQL fails the test.
 */
public final class TestDatabase implements AutoCloseable {
    /** The databases {@link #open} gave out, closed (again, harmlessly) by {@link #close}. */
    private final java.util.List<Database> opened = new java.util.ArrayList<>();

    private static final String PG_ADMIN_URL =
            System.getProperty("cim.test.pg", "jdbc:postgresql://127.0.0.1:5432/test?user=root");

    private final Backend backend;
    private final String url;
    private final Path directory;
    private final String pgName;

    private TestDatabase(Backend backend, String url, Path directory, String pgName) {
        this.backend = backend;
        this.url = url;
        this.directory = directory;
        this.pgName = pgName;
    }

    public static TestDatabase create(Backend backend) {
        try {
            Path dir = Files.createTempDirectory("cim-test-");
            if (backend == Backend.H2) {
                return new TestDatabase(backend, "jdbc:h2:file:" + dir.resolve("cim").toAbsolutePath(), dir, null);
            }
            String name = "cim_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL); Statement st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(backend, PG_ADMIN_URL.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"), dir, name);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot create a " + backend + " test database (is PostgreSQL up at "
                    + PG_ADMIN_URL + "? run with -Dcim.test.backends=h2 to test H2 alone)", e);
        }
    }

    /** The value to pass as --db. */
    public String url() {
        return url;
    }

    public Backend backend() {
        return backend;
    }

    /** A directory that lives as long as the database, for a cim home, config or output files. */
    public Path directory() {
        return directory;
    }

    /** A libpq connection URI (for pg_dump and psql), or null for H2. */
    public String libpqUri() {
        return pgName == null ? null : url.substring("jdbc:".length());
    }

    public Database open() {
        Database db = Database.open(DatabaseTarget.parse(url, directory), new Credentials(null, null), null);
        opened.add(db);
        return db;
    }

    /** A plain JDBC connection, for tests that play the part of someone tampering with the database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(DatabaseTarget.parse(url, directory).jdbcUrl());
    }

    @Override
    public void close() {
        // one a test left open would write its H2 file again (and make the directory anew) when the JVM ends
        opened.forEach(Database::close);
        try {
            if (pgName != null) {
                try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL);
                     Statement st = admin.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
                }
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }

        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot clean up test database " + url, e);
        }
    }

    @Override
    public String toString() {
        return backend.name();
    }
}
