package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads rows of a CSV file (header first) or a JSON Lines file, mapping names to canonical fields. */
abstract class RowReader implements AutoCloseable {
    static final String TOO_LONG = "row longer than " + InputLimits.RECORD_CHARS + " characters (only its beginning is "
            + "kept): split the row, or close the quote that runs on";
    static final String UNCLOSED = "a quote opened in this row is never closed: the rest of the file ran into it; "
            + "close the quote (a quote inside a quoted value is doubled)";
    protected final Reader in;

    RowReader(Reader in) {
        this.in = in;
    }

    /** The next row, or null at the end. */
    abstract RawRow next();

    /** The fields the input maps to, for the required-column check. */
    abstract List<String> mappedFields();

    @Override
    public void close() throws IOException {
        in.close();
    }

    static RowReader open(InputFile file, HeaderMapping mapping) throws IOException {
        return file.format() == InputFile.Format.CSV ? new Csv(file, mapping) : new JsonLines(file.reader(), mapping);
    }

    /** CSV: the first record is the header; a record with another number of fields is broken. */
    static final class Csv extends RowReader {
        private final CsvRecords records;
        private final List<String> headers;
        private final String[] fields;

        Csv(InputFile file, HeaderMapping mapping) throws IOException {
            super(file.reader());
            this.records = new CsvRecords(in);
            CsvRecords.Csv header = records.next();
            if (header == null) {
                throw new CimException(Failure.INPUT, file.path() + " is empty: no header row",
                        "the first line names the columns (source_key, name, id_number … or 姓名, 证件号码 …)");
            }
            if (header.cut()) {
                throw new CimException(Failure.INPUT, file.path() + ": the header is longer than "
                        + InputLimits.RECORD_CHARS + " characters",
                        "check the file is CSV with a header row of column names, and that every quote is closed");
            }
            this.headers = header.fields();
            this.fields = headers.stream().map(mapping::field).toArray(String[]::new);
            Map<String, Integer> first = new HashMap<>();
            for (int i = 0; i < fields.length; i++) {
                Integer before = fields[i] == null ? null : first.putIfAbsent(fields[i], i);
                if (before != null) {
                    // one value would silently win over the other (a phone number stored as the name): columns are
                    // named by position, since a header's text may be a first row of data
                    throw new CimException(Failure.INPUT, file.path() + ": columns " + (before + 1) + " and " + (i + 1)
                            + " both give " + fields[i] + " (the header repeats it, or --mapping sends two headers to "
                            + "it)", "keep one of them, or map the other to a field of its own");
                }
            }
        }

        @Override
        RawRow next() {
            CsvRecords.Csv record = records.next();
            if (record == null) {
                return null;
            }
            if (record.unclosed()) {
                return RawRow.broken(record.line(), record.raw(), UNCLOSED);
            }
            if (record.cut()) {
                return RawRow.broken(record.line(), record.raw(), TOO_LONG);
            }
            if (record.fields().size() != headers.size()) {
                return RawRow.broken(record.line(), record.raw(), "wrong number of columns: " + record.fields().size()
                        + " where the header has " + headers.size());
            }
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] != null && !record.fields().get(i).isBlank()) {
                    values.put(fields[i], record.fields().get(i));
                }
            }
            return new RawRow(record.line(), values, record.raw(), null);
        }

        @Override
        List<String> mappedFields() {
            List<String> mapped = new ArrayList<>();
            for (String field : fields) {
                if (field != null) {
                    mapped.add(field);
                }
            }
            return mapped;
        }

        List<String> headers() {
            return headers;
        }
    }

    /** JSON Lines: one object a line; nested arrays and objects (policies, accounts …) are kept as JSON text. */
    static final class JsonLines extends RowReader {
        private final Lines lines;
        private final HeaderMapping mapping;
        private long line;

        /** The categories a line carries as nested arrays or objects; every other field is one text or number. */
        private static final java.util.Set<String> NESTED = java.util.Set.of("relations", "policies", "claims",
                "accounts", "assets", "touchpoints", "preferences", "assessment");

        JsonLines(Reader in, HeaderMapping mapping) {
            super(in);
            this.lines = new Lines(in, InputLimits.RECORD_CHARS);
            this.mapping = mapping;
        }

        @Override
        RawRow next() {
            String text;
            do {
                text = lines.next();
                line++;
            } while (text != null && !lines.cut() && text.isBlank());
            if (text == null) {
                return null;
            }
            if (lines.cut()) {
                return RawRow.broken(line, text, TOO_LONG);
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(text);
            } catch (JacksonException e) {
                // Jackson's own message quotes the text around the fault: a tier-1 value could leak into the reason
                int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
                return RawRow.broken(line, text, "broken JSON" + (column > 0 ? " at column " + column : "")
                        + ": not one well-formed JSON object");
            }
            if (!node.isObject()) {
                return RawRow.broken(line, text, "a line must be one JSON object");
            }
            Map<String, String> values = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String field = mapping.field(entry.getKey());
                JsonNode value = entry.getValue();
                if (field == null || value.isNull()) {
                    continue;
                }
                boolean nested = NESTED.contains(field);
                if (nested ? value.isValueNode() : !value.isValueNode()) {
                    // a list stored as text, or an array stored as a name: quarantined, not kept in the wrong shape
                    return RawRow.broken(line, text, field + " must be " + (nested ? "an array or object" : "a text "
                            + "or a number") + ", not " + (value.isArray() ? "an array" : value.isObject()
                            ? "an object" : "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
                }
                values.put(field, value.isValueNode() ? value.asString() : value.toString());
            }
            return new RawRow(line, values, text, null);
        }

        @Override
        List<String> mappedFields() {
            return List.copyOf(HeaderMapping.CANONICAL);
        }
    }

    /** Lines of text (ended by LF, CRLF or CR) of at most {@code max} characters: the rest of a longer one is skipped. */
    static final class Lines {
        private final Reader in;
        private final int max;
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;
        private boolean afterCr;
        private boolean cut;

        Lines(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line without its end, cut to {@code max} characters; null at the end of the input. */
        String next() {
            StringBuilder text = new StringBuilder();
            cut = false;
            boolean any = false;
            while (true) {
                if (position == limit && !fill()) {
                    return any ? text.toString() : null;
                }
                if (afterCr) {
                    afterCr = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                any = true;
                int end = position;
                while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                    end++;
                }
                int keep = Math.min(end - position, max - text.length());
                text.append(buffer, position, keep);
                cut |= keep < end - position;
                if (end == limit) {
                    position = limit;
                    continue;
                }
                afterCr = buffer[end] == '\r';
                position = end + 1;
                return text.toString();
            }
        }

        /** Whether the last line was longer than {@code max}. */
        boolean cut() {
            return cut;
        }

        private boolean fill() {
            try {
                limit = in.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return false;
            }
            return true;
        }
    }
}
