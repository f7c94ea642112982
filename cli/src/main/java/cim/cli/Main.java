package cim.cli;

/** The entry point: run the command line and exit with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.exit(Cli.create().execute(args));
    }
}
