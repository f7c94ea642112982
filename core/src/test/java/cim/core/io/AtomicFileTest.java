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
        java.nio.file.attribute.FileTime anHourAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        Path stale = old(Files.writeString(dir.resolve(".out.csv." + deadPid() + ".8812.tmp"), "clear rows"), anHourAgo);
        Path live = old(Files.writeString(dir.resolve(".out.csv." + ProcessHandle.current().pid() + ".77.tmp"), "x"),
                anHourAgo);
        Path other = old(Files.writeString(dir.resolve(".other.csv." + deadPid() + ".1.tmp"), "x"), anHourAgo);
        Path longerName = old(Files.writeString(dir.resolve(".out.csv.20261206.csv." + deadPid() + ".5.tmp"), "x"),
                anHourAgo);
        Path fresh = Files.writeString(dir.resolve(".out.csv." + deadPid() + ".9.tmp"), "another host's, being written");
        try (AtomicFile out = AtomicFile.create(dir.resolve("out.csv"))) {
            out.write("a\n");
            out.commit();
        }
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).as("another target's").exists();
        assertThat(longerName).as("a target whose name begins like this one's").exists();
        assertThat(fresh).as("written to lately: a run elsewhere").exists();
        assertThat(dir.resolve("out.csv")).hasContent("a");
    }

    private static Path old(Path file, java.nio.file.attribute.FileTime time) throws java.io.IOException {
        Files.setLastModifiedTime(file, time);
        return file;
    }

    private static long deadPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }
}
