package cim.core.ingest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: fields separated by commas, quoted with double quotes (a doubled quote inside),
 * records ending in CRLF or LF, quoted fields may span lines. It keeps the line each record starts on and the
 * record's raw text, for quarantine messages. A record longer than its limit is read to its end but not kept: it comes
 * back cut, with no fields and only the text up to the limit.
 */
final class CsvRecords {
    /**
     * One record: its first line, its fields, its text as read, whether it was longer than the limit, and whether the
     * file ended inside a quoted field (a quote never closed ran on to the end).
     */
    record Csv(long line, List<String> fields, String raw, boolean cut, boolean unclosed) {
        Csv(long line, List<String> fields, String raw) {
            this(line, fields, raw, false, false);
        }

        Csv(long line, List<String> fields, String raw, boolean cut) {
            this(line, fields, raw, cut, false);
        }

        Csv unclosedQuote() {
            return new Csv(line, fields, raw, cut, true);
        }
    }

    private final Reader in;
    private final int maxChars;
    // read through a buffer of our own: Reader.read() per character is synchronised and slow
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long line = 1;
    private int peeked = -2;
    /** Fields in the last record: the next is expected to have as many. */
    private int width = 16;

    CsvRecords(Reader in) {
        this(in, InputLimits.RECORD_CHARS);
    }

    CsvRecords(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next record, or null at the end of the input. Blank lines are skipped. */
    Csv next() {
        while (true) {
            if (peeked == -2 && position < limit) {
                char first = buffer[position];
                if (first == '\n' || first == '\r') {
                    position++;
                    line += first == '\n' ? 1 : 0;
                    continue;
                }
                Csv plain = plainRecord();
                if (plain != null) {
                    return plain;
                }
            }
            int c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                line++;
                continue;
            }
            if (c == '\r') {
                continue;
            }
            unread(c);
            return record();
        }
    }

    /**
     * The usual record, without quotes and whole in the buffer, cut straight out of it (read character by character
     * it cost an eighth of an import); null, with nothing consumed, for any other.
     */
    private Csv plainRecord() {
        List<String> fields = new ArrayList<>(width);
        int start = position;
        int fieldStart = position;
        for (int i = position; i < limit; i++) {
            char c = buffer[i];
            if (i - start > maxChars) {
                return null;
            }
            if (c == ',') {
                fields.add(new String(buffer, fieldStart, i - fieldStart));
                fieldStart = i + 1;
            } else if (c == '\n' || c == '\r') {
                int end = i + 1;
                if (c == '\r') {
                    if (end == limit) {
                        return null;
                    }
                    end += buffer[end] == '\n' ? 1 : 0;
                }
                fields.add(new String(buffer, fieldStart, i - fieldStart));
                position = end;
                width = fields.size();
                return new Csv(line++, fields, new String(buffer, start, i - start));
            } else if (c == '"') {
                return null;
            }
        }
        return null;
    }

    private Csv record() {
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        StringBuilder field = new StringBuilder();
        int fieldChars = 0; // as read: a cut record keeps no text, but a quote after text still opens no field
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean cut = false;
        while (true) {
            if (!cut && raw.length() > maxChars) {
                // read on to the record's end, keeping nothing more
                cut = true;
                raw.setLength(maxChars);
                fields.clear();
                field.setLength(0);
            }
            int c = read();
            if (c == -1) {
                Csv last = finished(start, fields, field, raw, cut);
                return quoted ? last.unclosedQuote() : last;
            }
            if (quoted) {
                if (c == '"') {
                    int after = read();
                    if (after != '"') {
                        unread(after);
                        quoted = false;
                        keep(raw, cut, '"');
                        continue;
                    }
                    keep(raw, cut, '"'); // the doubled quote is one in the field
                } else {
                    line += c == '\n' ? 1 : 0;
                }
            } else if (c == ',') {
                if (!cut) {
                    fields.add(field.toString());
                }
                field.setLength(0);
                fieldChars = 0;
                wasQuoted = false;
                keep(raw, cut, ',');
                continue;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        unread(after);
                    }
                }
                line++;
                return finished(start, fields, field, raw, cut);
            } else if (c == '"' && fieldChars == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                keep(raw, cut, '"');
                continue;
            }
            keep(raw, cut, (char) c);
            keep(field, cut, (char) c);
            fieldChars++;
        }
    }

    private static Csv finished(long start, List<String> fields, StringBuilder field, StringBuilder raw, boolean cut) {
        if (cut) {
            return new Csv(start, List.of(), raw.toString(), true);
        }
        fields.add(field.toString());
        return new Csv(start, fields, raw.toString());
    }

    private static void keep(StringBuilder into, boolean cut, char c) {
        if (!cut) {
            into.append(c);
        }
    }

    private int read() {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        if (position == limit) {
            try {
                limit = in.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        peeked = c;
    }
}
