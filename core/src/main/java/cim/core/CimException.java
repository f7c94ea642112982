package cim.core;

import java.util.Objects;

/**
 * A failure the user can act on: a message that says what went wrong, and a hint that says what to do.
 * Anything else that escapes a command is a bug.
 */
public class CimException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Failure failure;
    private final String hint;

    public CimException(Failure failure, String message, String hint) {
        this(failure, message, hint, null);
    }

    public CimException(Failure failure, String message, String hint, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure);
        this.hint = hint;
    }

    public Failure failure() {
        return failure;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }
}
