package cim.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one helper thread a bulk job runs beside its own (reading ahead, writing behind), and waiting for its work:
 * a failure there (a CimException, a database error) surfaces in the caller as it was thrown.
 */
public final class Background {
    private Background() {
    }

    /** A single daemon thread of that name: it never keeps the JVM alive after the command. */
    public static ExecutorService thread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Lets the thread finish the work it has begun (a write is committed or rolled back, never cut off) and then
     * stop; the caller (who may be about to release a lock) returns once it has.
     */
    public static void finish(ExecutorService thread) {
        thread.shutdown();
        try {
            // a statement still running: the database decides how long it takes
            thread.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    /** The work's result, once done; null for no work. */
    public static <T> T await(Future<T> work) {
        if (work == null) {
            return null;
        }
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
