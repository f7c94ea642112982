package cim.core;

import cim.core.codes.CodeAssigner;
import cim.core.db.Backend;
import cim.core.db.Database;
import cim.core.quality.QualityCheck;
import cim.core.protect.FieldProtector;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * An engine that runs the bulk jobs on many machines ({@code --engine spark}): found on the classpath, where the
 * launcher puts it only when asked for, so that cim itself starts as fast without it.
 */
public interface ScaleOutEngine {
    /** Its name in {@code --engine}. */
    String name();

    /**
     * Where it runs and what its workers use: the cluster's master ({@code local[2]}, {@code yarn}, …; null: the one
     * spark-submit set), the database, its user and the protector of the command, the keyset file (shipped to the
     * workers), and how many partitions the records are read in (0: the engine decides).
     */
    record Setup(String master, Database db, String user, FieldProtector protector, Path keyset, int partitions) { }

    /** The engine of {@code codes assign}. */
    CodeAssigner.Elsewhere assigner(Setup setup);

    /** The engine of {@code quality check}. */
    QualityCheck.Elsewhere checker(Setup setup);

    /** Another engine's workers read the central database: the embedded one is refused (exit 2). */
    static void requireCentral(Database db) {
        if (db.backend() != Backend.POSTGRESQL) {
            throw new CimException(Failure.USAGE, "--engine spark: it reads a PostgreSQL database, and this is the "
                    + "embedded one", "leave --engine spark out (the embedded database is for one machine), or name "
                    + "the central database with --db");
        }
    }

    /** The engine named {@code name}; a clear failure when it is not on the classpath. */
    static ScaleOutEngine named(String name) {
        for (ScaleOutEngine engine : ServiceLoader.load(ScaleOutEngine.class)) {
            if (engine.name().equals(name)) {
                return engine;
            }
        }
        throw new CimException(Failure.CONFIGURATION, "--engine " + name + ": the " + name + " engine is not "
                + "installed with this cim", "build it once with 'mvn -B -Pspark -DskipTests package' in cim's source "
                + "directory, and run cim as ./cim there (it adds the engine for --engine " + name + ")");
    }
}
