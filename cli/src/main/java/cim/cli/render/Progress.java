package cim.cli.render;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/** A one-line progress counter on stderr, redrawn in place; silent when stderr is not a terminal. */
public final class Progress implements LongConsumer {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private long total;
    private final boolean enabled;
    private long lastDrawn;

    public Progress(PrintWriter err, String label, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    @Override
    public void accept(long done) {
        long now = System.nanoTime();
        if (!enabled || now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        String of = total > 0 ? String.format(" / %,d (%d%%)", total, Math.min(100, done * 100 / total)) : "";
        err.print("\r" + label + ": " + String.format("%,d", done) + of + "   ");
        err.flush();
    }

    /** Clears the line, so that what follows starts clean. */
    /** The total, when it becomes known after the bar was made. */
    public void total(long count) {
        this.total = count;
    }

    public void done() {
        if (enabled && lastDrawn != 0) {
            err.print("\r" + " ".repeat(label.length() + 40) + "\r");
            err.flush();
        }
    }
}
