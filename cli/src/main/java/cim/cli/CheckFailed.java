package cim.cli;

import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.Failure;

/**
 * A check that ran and found something wrong (exit 1): its result, which the error handler prints as the command's
 * output ({@code data} in the JSON envelope beside the error, {@code table} for people), then the {@code ERROR:} line
 * and the hint. A command that printed its result its own way (a report file, a rendering of its own) throws it
 * {@link #shown}, and the handler prints the error lines alone.
 */
public final class CheckFailed extends CimException {
    private static final long serialVersionUID = 1L;

    private final transient Object data;
    private final transient Table table;

    public CheckFailed(String message, String hint, Object data, Table table) {
        super(Failure.CHECK_FAILED, message, hint);
        this.data = data;
        this.table = table;
    }

    /** A failed check whose result the command has printed already. */
    public static CheckFailed shown(String message, String hint) {
        return new CheckFailed(message, hint, null, null);
    }

    boolean resultShown() {
        return data == null && table == null;
    }

    Object data() {
        return data;
    }

    Table table() {
        return table;
    }
}
