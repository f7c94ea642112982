package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * F8: runs on one embedded database take turns (three started at once all exited 69 before): a second run waits,
 * says so, and goes on when the first ends; one that waits too long exits 75.
 */
class EmbeddedLockTest {
    @Test
    void aSecondRunWaitsForTheFirstAndGivesUpWith75(@TempDir Path home) throws Exception {
        AtomicBoolean told = new AtomicBoolean();
        try (EmbeddedLock first = EmbeddedLock.acquire(home.resolve("cim"), Duration.ofSeconds(5), () -> { })) {
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (EmbeddedLock lock = EmbeddedLock.acquire(home.resolve("cim"), Duration.ofSeconds(10),
                        () -> told.set(true))) {
                    assertThat(lock).isNotNull();
                }
            });
            Thread.sleep(300);
            assertThat(second).isNotDone();
            assertThat(told).isTrue();
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> assertThatThrownBy(() ->
                    EmbeddedLock.acquire(home.resolve("cim"), Duration.ofMillis(200), () -> { }))
                    .isInstanceOfSatisfying(CimException.class, e -> assertThat(e.failure()).isEqualTo(Failure.LOCKED)));
            third.get(5, TimeUnit.SECONDS);
            first.close();
            second.get(5, TimeUnit.SECONDS);
        }
        assertThat(home.resolve("cim").resolve("cim.run.lock")).exists();
    }
}
