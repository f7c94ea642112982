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

    @Test
    void aQuoteNeverClosedRunsToTheEndAndSaysSo() {
        assertThat(all(new StringReader("a,b\nc,\"d\ne,f\n"))).containsExactly(
                new CsvRecords.Csv(1, List.of("a", "b"), "a,b"),
                new CsvRecords.Csv(2, List.of("c", "d\ne,f\n"), "c,\"d\ne,f\n", false, true));
    }

    /** JSON Lines' reader cuts its lines as BufferedReader.readLine does, however the text arrives. */
    @Property(tries = 1000)
    void jsonLinesAreReadLinesCutToTheLimit(@ForAll("csvText") String text, @ForAll long seed) throws Exception {
        List<String> expected = new ArrayList<>();
        try (java.io.BufferedReader in = new java.io.BufferedReader(new StringReader(text))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                expected.add(line.length() > 5 ? line.substring(0, 5) + "+" : line);
            }
        }
        RowReader.Lines lines = new RowReader.Lines(new Trickle(text, new Random(seed), 4), 5);
        List<String> actual = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            actual.add(lines.cut() ? line + "+" : line);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aRecordLongerThanTheLimitIsReadToItsEndAndKeptOnlyToTheLimit() {
        String text = "a,b\n" + "x".repeat(30) + ",y\"z,w\n" + "\"" + "q".repeat(40) + "\nstill quoted\",r\n"
                + "c,d\n" + "\"never closed" + ",e\n".repeat(20);
        List<CsvRecords.Csv> records = all(new CsvRecords(new StringReader(text), 20));
        assertThat(records).containsExactly(
                new CsvRecords.Csv(1, List.of("a", "b"), "a,b"),
                new CsvRecords.Csv(2, List.of(), "x".repeat(20), true),
                new CsvRecords.Csv(3, List.of(), "\"" + "q".repeat(19), true),
                new CsvRecords.Csv(5, List.of("c", "d"), "c,d"),
                new CsvRecords.Csv(6, List.of(), "\"never closed,e\n,e\n,", true, true));
        // the same text through the buffer's fast path and character by character
        assertThat(all(new CsvRecords(new Trickle(text, new Random(1), 3), 20))).isEqualTo(records);
    }

    private static List<CsvRecords.Csv> all(Reader in) {
        return all(new CsvRecords(in));
    }

    private static List<CsvRecords.Csv> all(CsvRecords records) {
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
