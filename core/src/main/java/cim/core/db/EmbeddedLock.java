package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.io.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The embedded database serves one cim run at a time. H2 lets a second process in through the first one's server,
 * but that connection dies with the first process, and processes starting together race for H2's own lock file
 * (exit 69 for all three of three runs started at once). So each run takes this lock on a file in the cim home for
 * its whole life: the others queue behind it, and give up after a while with exit 75 (try again later).
 */
public final class EmbeddedLock implements AutoCloseable {
    /** How long a run waits for the one before it. */
    public static final Duration WAIT = Duration.ofSeconds(60);
    /** In one JVM (tests, the shell) a file lock is not reentrant: one holder at a time here too. */
    private static final java.util.concurrent.Semaphore IN_PROCESS = new java.util.concurrent.Semaphore(1);

    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private EmbeddedLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the embedded database in {@code home}, waiting up to {@code wait} for the run that holds it.
     *
     * @param waiting told once, when the lock is not free at once (a notice that the run waits)
     */
    public static EmbeddedLock acquire(Path home, Duration wait, Runnable waiting) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        try {
            if (!IN_PROCESS.tryAcquire()) {
                waiting.run();
                told = true;
                if (!IN_PROCESS.tryAcquire(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    throw busy(home, wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(home, wait);
        }
        FileChannel channel = null;
        try {
            // the home is made here on first use (0700), as opening the database would
            PrivateFiles.ownerOnlyDirectory(home);
            Path file = home.resolve("cim.run.lock");
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            PrivateFiles.ownerOnlyFile(file);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    return new EmbeddedLock(channel, lock);
                }
                if (!told) {
                    waiting.run();
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw busy(home, wait);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            IN_PROCESS.release();
            throw new CimException(Failure.CONFIGURATION, "cannot lock the embedded database in " + home + ": "
                    + e.getMessage(), "check that --home (CIM_HOME) is a writable directory of yours");
        } catch (InterruptedException | RuntimeException e) {
            closeQuietly(channel);
            IN_PROCESS.release();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw busy(home, wait);
            }
            throw (RuntimeException) e;
        }
    }

    private static CimException busy(Path home, Duration wait) {
        return new CimException(Failure.LOCKED, "another cim run has been using the embedded database in " + home
                + " for " + wait.toSeconds() + " s", "try again when it has finished (the embedded database serves "
                + "one run at a time; a central PostgreSQL database serves many)");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            IN_PROCESS.release();
        }
    }
}
