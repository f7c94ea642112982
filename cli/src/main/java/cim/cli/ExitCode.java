package cim.cli;

import cim.core.Failure;

/** The exit codes of cim (sysexits-style), one place; listed in `cim --help` and the man page. */
public enum ExitCode {
    OK(0, "success"),
    CHECK_FAILED(1, "a check failed: quality rule at fail level, tampering found by 'audit verify', rejects over --max-rejects"),
    USAGE(2, "usage error (unknown option, bad argument)"),
    INPUT(65, "input unusable (unreadable file, wrong encoding, missing required column)"),
    DATABASE_UNAVAILABLE(69, "database unavailable"),
    INTERNAL(70, "internal error (a bug: says so, stack trace with --verbose)"),
    CANNOT_CREATE_OUTPUT(73, "cannot create an output file, or the disk is full"),
    LOCKED(75, "another run holds the lock (try again later)"),
    NOT_PERMITTED(77, "not permitted (unmask without reason, wrong or missing key for protected data, a tier-1 "
            + "oracle, a tampered registry, a command outside the role's profile or refused by the database: SQLSTATE "
            + "42501)"),
    CONFIGURATION(78, "configuration error (names the setting and the fix)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static ExitCode of(Failure failure) {
        return switch (failure) {
            case CHECK_FAILED -> CHECK_FAILED;
            case USAGE -> USAGE;
            case INPUT -> INPUT;
            case DATABASE_UNAVAILABLE -> DATABASE_UNAVAILABLE;
            case OUTPUT -> CANNOT_CREATE_OUTPUT;
            case LOCKED -> LOCKED;
            case NOT_PERMITTED -> NOT_PERMITTED;
            case CONFIGURATION -> CONFIGURATION;
            case INTERNAL -> INTERNAL;
        };
    }
}
