package cim.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFileTest {
    /**
     * A run killed before it could commit or clean up (kill -9 of an unmasked export) left a hidden temporary file of
     * clear rows: the next run writing that file removes it; one another live run is writing stays.
     */
    @Test
    void theTemporaryFileOfAKilledRunIsSweptAndALiveOnesIsKept(@TempDir Path dir) throws Exception {
        Path stale = Files.writeString(dir.resolve(".out.csv." + deadPid() + ".8812.tmp"), "clear rows");
        Path live = Files.writeString(dir.resolve(".out.csv." + ProcessHandle.current().pid() + ".77.tmp"), "x");
        Path other = Files.writeString(dir.resolve(".other.csv." + deadPid() + ".1.tmp"), "x");
        try (AtomicFile out = AtomicFile.create(dir.resolve("out.csv"))) {
            out.write("a\n");
            out.commit();
        }
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).as("another target's").exists();
        assertThat(dir.resolve("out.csv")).hasContent("a");
    }

    private static long deadPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }
}
