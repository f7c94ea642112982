package cim.cli;

import java.io.IOException;
import java.io.PrintStream;

/** The entry point: run the command line and exit with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // no option of cim's takes a JDBC type: picocli need not load java.sql to offer converters for them
        System.setProperty("picocli.converters.excludes", "java\\.sql\\..*");
        if (versionOnly(args)) {
            try {
                System.exit(printVersion(System.out));
            } catch (IOException e) {
                // unreadable in the jar: picocli's way below reports it, through the one error handler
            }
        }
        System.exit(Cli.create(args).execute(args));
    }

    /**
     * {@code cim --version} on its own, the commonest short run of scripts and checks: its lines come straight from
     * the version provider, as picocli would print them, without building the command line at all (that is most of
     * its time). Anything else given with it takes the usual way.
     */
    static boolean versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    static int printVersion(PrintStream out) throws IOException {
        for (String line : new VersionProvider().getVersion()) {
            out.println(line);
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
