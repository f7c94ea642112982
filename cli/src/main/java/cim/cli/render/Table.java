package cim.cli.render;

import cim.core.io.Csv;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under a header, printed aligned for people or as RFC 4180 CSV for programs (cells guarded against formulas
 * like an export's, since -o csv output is opened in spreadsheets too).
 */
public final class Table {
    private static final List<String> KEY_VALUE = List.of("key", "value");

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** A two-column table of names and values, for a command that reports one thing. */
    public static Table keyValue() {
        return new Table(KEY_VALUE.toArray(String[]::new));
    }

    /** Whether this is a {@link #keyValue()} table, which people read without a header. */
    public boolean isKeyValue() {
        return headers.equals(KEY_VALUE);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
        return this;
    }

    public List<List<String>> rows() {
        return rows;
    }

    public void printAligned(PrintWriter out, boolean showHeader) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = showHeader ? DisplayWidth.of(headers.get(i)) : 0;
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(oneLine(row.get(i))));
            }
        }
        if (showHeader) {
            printLine(out, headers.stream().map(h -> h.toUpperCase(java.util.Locale.ROOT)).toList(), widths);
        }
        for (List<String> row : rows) {
            printLine(out, row.stream().map(Table::oneLine).toList(), widths);
        }
    }

    private static void printLine(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - DisplayWidth.of(cell) + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /**
     * A cell as a terminal may show it: on one line, and without control characters or bidirectional overrides, so
     * that channel data cannot move the cursor, retitle the window or disguise what is printed.
     */
    static String oneLine(String cell) {
        StringBuilder clean = null;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            boolean unsafe = Character.isISOControl(c) || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069');
            if (unsafe && clean == null) {
                clean = new StringBuilder(cell.length()).append(cell, 0, i);
            }
            if (clean != null) {
                clean.append(!unsafe ? c : c == '\n' || c == '\t' ? ' ' : c == '\r' ? "" : "\uFFFD");
            }
        }
        return clean == null ? cell : clean.toString();
    }

    public void printCsv(PrintWriter out) {
        // column names a script can use, as JSON's keys are (masked by → masked_by), not display text
        out.print(csvLine(headers.stream().map(Table::columnName).toList()));
        for (List<String> row : rows) {
            out.print(csvLine(row));
        }
    }

    /** One CSV line (RFC 4180 quoting where needed, CRLF). */
    public static String csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = Csv.guarded(cells.get(i));
            boolean quote = cell.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
            line.append(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        return line.append("\r\n").toString();
    }

    /** A header as a column name: lower case, a run of anything but letters and digits as one underscore. */
    static String columnName(String header) {
        return header.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_").replaceAll("^_|_$", "");
    }
}
