package cim.cli;

import cim.core.ScaleOutEngine;
import cim.core.db.Credentials;
import cim.core.db.Database;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The engine a bulk job runs on ({@code codes assign}, {@code quality check}): this process, or Apache Spark, which
 * the launcher adds to the class path only when {@code --engine spark} is given.
 */
public final class EngineOptions {
    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "single", completionCandidates = Engines.class,
            description = "single (this "
            + "process, default) or spark: on Apache Spark, over partitions of the records (PostgreSQL; see the "
            + "README's 'When one machine is not enough')")
    private String engine;

    /** The engines, for completion. */
    static final class Engines extends java.util.ArrayList<String> {
        Engines() {
            super(java.util.List.of("single", "spark"));
        }
    }

    @Option(names = "--spark-master", paramLabel = "URL", description = "with --engine spark: where it runs, e.g. "
            + "local[2] (this process, two threads), yarn, spark://host:7077 (default: the one spark-submit set, or "
            + "local[*])")
    private String sparkMaster;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "with --engine spark: read "
            + "the records in N partitions (default: one per 50,000 records for codes assign, 100,000 for quality "
            + "check, at least twice the cores)")
    private int partitions;

    /** Whether another engine than this process was chosen; the options are checked first (exit 2). */
    public boolean elsewhere(CommandSpec spec) {
        if (!engine.equals("single") && !engine.equals("spark")) {
            throw new ParameterException(spec.commandLine(), "--engine " + engine + ": single or spark");
        }
        if (engine.equals("single") && (sparkMaster != null || partitions != 0)) {
            throw new ParameterException(spec.commandLine(), (sparkMaster != null ? "--spark-master" : "--partitions")
                    + " is for --engine spark");
        }
        if (partitions < 0) {
            throw new ParameterException(spec.commandLine(), "--partitions must be 1 or more");
        }
        return !engine.equals("single");
    }

    /** The engine chosen (exit 78 when it is not installed) and what it needs of the session. */
    public ScaleOutEngine engine() {
        return ScaleOutEngine.named(engine);
    }

    public ScaleOutEngine.Setup setup(Session session, Database db) {
        return new ScaleOutEngine.Setup(sparkMaster, db, Credentials.from(session.settings()).user(),
                session.protector(db), session.keysetFile(db.target()), partitions);
    }
}
