package cim.core.ingest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records cut straight out of the buffer must be the records read character by character: a reader that hands
 * over one character at a time never lets a record lie whole in the buffer, so it gets the character path only.
 */
class CsvRecordsTest {
    @Property(tries = 2000)
    void recordsAreTheSameHoweverTheInputArrives(@ForAll("csvText") String text, @ForAll long seed) {
        List<CsvRecords.Csv> byCharacter = all(new Trickle(text, new Random(seed), 1));
        assertThat(all(new StringReader(text))).isEqualTo(byCharacter);
        assertThat(all(new Trickle(text, new Random(seed), 7))).isEqualTo(byCharacter);
    }

    @Test
    void plainAndQuotedRecordsWithTheirLines() {
        List<CsvRecords.Csv> records = all(new StringReader("a,b\r\n\nc,\"d,\"\"e\"\"\nf\"\r\ng,h"));
        assertThat(records).containsExactly(
                new CsvRecords.Csv(1, List.of("a", "b"), "a,b"),
                new CsvRecords.Csv(3, List.of("c", "d,\"e\"\nf"), "c,\"d,\"\"e\"\"\nf\""),
                new CsvRecords.Csv(5, List.of("g", "h"), "g,h"));
    }

    private static List<CsvRecords.Csv> all(Reader in) {
        CsvRecords records = new CsvRecords(in);
        List<CsvRecords.Csv> all = new ArrayList<>();
        for (CsvRecords.Csv record = records.next(); record != null; record = records.next()) {
            all.add(record);
        }
        return all;
    }

    @Provide
    Arbitrary<String> csvText() {
        return Arbitraries.strings().withChars('a', 'b', ',', '"', '\n', '\r', '中', ' ').ofMaxLength(80);
    }

    /** Hands the text over in pieces of at most {@code most} characters. */
    private static final class Trickle extends Reader {
        private final String text;
        private final Random random;
        private final int most;
        private int at;

        Trickle(String text, Random random, int most) {
            this.text = text;
            this.random = random;
            this.most = most;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(most)), text.length() - at);
            text.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
