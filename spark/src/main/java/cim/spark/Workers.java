package cim.spark;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.db.Credentials;
import cim.core.db.Database;
import cim.core.db.DatabaseTarget;
import cim.core.protect.FieldProtector;
import cim.core.protect.KeysetFile;
import cim.core.protect.KeysetWrap;
import org.apache.spark.SparkFiles;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a run's workers use: a connection pool to the database and the protector of tier-1 values. In the command's
 * own process ({@code local[N]}) they share the command's; an executor elsewhere opens its own, once per JVM, from
 * the database URL and user it is told, the password in its environment ({@code CIM_DB_PASSWORD}) and the keyset
 * shipped to it by {@code spark-submit --files} (wrapped under {@code CIM_KEYSET_PASSPHRASE} when it is wrapped).
 */
final class Workers {
    /** A worker's database and protector. */
    record Resources(Database db, FieldProtector protector) { }

    /** How a worker outside the command's process connects; no secret in it (it travels with every task). */
    record Connect(String url, String user, String keysetName) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static volatile Resources inProcess;
    private static final Map<Connect, Resources> OPENED = new ConcurrentHashMap<>();

    private Workers() {
    }

    /** The command's own resources, for the workers in its process (local mode); null to forget them. */
    static void inProcess(Resources resources) {
        inProcess = resources;
    }

    static Resources of(Connect connect) {
        Resources local = inProcess;
        return local != null ? local : OPENED.computeIfAbsent(connect, Workers::open);
    }

    private static Resources open(Connect connect) {
        Path keyset = Path.of(SparkFiles.get(connect.keysetName()));
        if (!Files.isReadable(keyset)) {
            throw new CimException(Failure.CONFIGURATION, "an executor has no keyset " + connect.keysetName(),
                    "ship it with spark-submit --files /path/to/" + connect.keysetName());
        }
        String passphrase = System.getenv("CIM_KEYSET_PASSPHRASE");
        KeysetWrap wrap = KeysetWrap.of(keyset.getParent(), passphrase);
        FieldProtector protector = new FieldProtector(KeysetFile.read(keyset, wrap).keyring());
        Database db = Database.open(DatabaseTarget.parse(connect.url(), keyset.getParent()),
                new Credentials(connect.user(), System.getenv(Credentials.PASSWORD_ENV)), null);
        return new Resources(db, protector);
    }
}
