package cim.cli;

import cim.core.db.Migrations;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version, the commit it was built from (filled in at build time), and the schema version this cim expects of
 * a database ({@code cim db status} compares the database's with it). No database, keyset or JSON class is touched.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"cim " + built(properties, "version") + ", commit " + commit(properties),
                "database schema " + Migrations.LATEST,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** The commit, marked when the build had changes not committed; unknown when built outside a git clone. */
    static String commit(Properties properties) {
        String commit = built(properties, "commit");
        return commit.equals("unknown") || !"true".equals(properties.getProperty("dirty")) ? commit
                : commit + " (with uncommitted changes)";
    }

    /** A value the build filled in; a placeholder it left (no git directory) is unknown. */
    private static String built(Properties properties, String key) {
        String value = properties.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
