package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads rows of a CSV file (header first) or a JSON Lines file, mapping names to canonical fields. */
abstract class RowReader implements AutoCloseable {
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
            this.headers = header.fields();
            this.fields = headers.stream().map(mapping::field).toArray(String[]::new);
        }

        @Override
        RawRow next() {
            CsvRecords.Csv record = records.next();
            if (record == null) {
                return null;
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
        private final BufferedReader lines;
        private final HeaderMapping mapping;
        private long line;

        JsonLines(Reader in, HeaderMapping mapping) {
            super(in);
            this.lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
            this.mapping = mapping;
        }

        @Override
        RawRow next() {
            String text;
            try {
                do {
                    text = lines.readLine();
                    line++;
                } while (text != null && text.isBlank());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text == null) {
                return null;
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
                values.put(field, value.isValueNode() ? value.asString() : value.toString());
            }
            return new RawRow(line, values, text, null);
        }

        @Override
        List<String> mappedFields() {
            return List.copyOf(HeaderMapping.CANONICAL);
        }
    }
}
