package cim.cli;

import cim.cli.render.Table;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a command's result in the chosen format: an aligned table for people, CSV, or one JSON document
 * {@code {"ok":true,"command":"…","data":{…}}}. In the JSON envelope "ok" is true exactly when the exit code is 0.
 */
public final class Output {
    /** The output formats of --output. */
    public enum Format { TABLE, JSON, CSV }

    /** Built on first use: Jackson costs a noticeable part of start-up, and table output does not need it. */
    private static final class Mapper {
        static final JsonMapper JSON = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
    }

    private final PrintWriter out;
    private final Format format;
    private final String command;
    /** --quiet on a command that changes data or checks things: its summary of a success is not printed. */
    private final boolean quietSummary;
    /** Told every result, printed or not (the run's metrics keep its counts). */
    private final java.util.function.Consumer<Object> results;

    Output(PrintWriter out, Format format, String command) {
        this(out, format, command, false, data -> { });
    }

    Output(PrintWriter out, Format format, String command, boolean quietSummary,
           java.util.function.Consumer<Object> results) {
        this.out = out;
        this.format = format;
        this.command = command;
        this.quietSummary = quietSummary;
        this.results = results;
    }

    /** An output to another writer (a report file), in a format, under a command's name. */
    public static Output to(PrintWriter out, Format format, String command) {
        return new Output(out, format, command);
    }

    /**
     * A result that succeeded ({@code exit} null) or is a failed check with its message (the error handler prints
     * a {@link CheckFailed}'s this way).
     */
    public void result(Object data, Table table, ExitCode exit, String message) {
        print(data, table, exit, message);
    }

    public Format format() {
        return format;
    }

    /**
     * A successful result that is a list of records: {@code {"<key>": [...]}} in JSON, a table of them otherwise,
     * both from the one declaration of its columns.
     */
    public <R> void records(String key, List<R> rows, cim.cli.render.Columns<R> columns) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(key, columns.json(rows));
        success(data, columns.table(rows));
    }

    /** A successful result: {@code data} for JSON, {@code table} for the table and CSV formats. */
    public void success(Object data, Table table) {
        print(data, table, null, null);
    }

        /**
     * A successful result that is a list of rows, possibly millions: streamed in CSV and JSON (the envelope's
     * {@code data.rows} is an array of objects keyed by the headers), collected into a table for people.
     *
     * @param rows called with a sink that takes each row's cells, in the order of {@code headers}
     */
    public void rows(List<String> headers, java.util.function.Consumer<java.util.function.Consumer<List<String>>> rows) {
        switch (format) {
            case CSV -> {
                out.print(Table.csvLine(headers));
                rows.accept(cells -> out.print(Table.csvLine(cells)));
            }
            case JSON -> {
                out.print("{\"ok\":true,\"command\":" + Mapper.JSON.writeValueAsString(command) + ",\"data\":{\"rows\":[");
                boolean[] first = {true};
                rows.accept(cells -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < headers.size(); i++) {
                        row.put(headers.get(i), cells.get(i));
                    }
                    out.print((first[0] ? "" : ",") + Mapper.JSON.writeValueAsString(row));
                    first[0] = false;
                });
                out.println("]}}");
            }
            case TABLE -> {
                Table table = new Table(headers.toArray(String[]::new));
                rows.accept(cells -> table.row(cells.toArray()));
                table.printAligned(out, true);
            }
        }
        out.flush();
    }

    private void print(Object data, Table table, ExitCode exit, String message) {
        results.accept(data);
        if (quietSummary && exit == null && format != Format.JSON) {
            // cron mail stays empty on success; a JSON document asked for with -o json is always printed
            return;
        }
        switch (format) {
            case JSON -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("ok", exit == null);
                envelope.put("command", command);
                envelope.put("data", data);
                if (exit != null) {
                    envelope.put("error", error(exit, message));
                }
                out.println(Mapper.JSON.writeValueAsString(envelope));
            }
            case CSV -> table.printCsv(out);
            case TABLE -> table.printAligned(out, !table.isKeyValue());
        }
        out.flush();
    }

    static Map<String, Object> error(ExitCode exit, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("exit", exit.code());
        error.put("message", message);
        return error;
    }

    /** The command's name in the envelope: "db status", or "cim" for the root. */
    static String commandName(picocli.CommandLine.Model.CommandSpec spec) {
        String name = spec.qualifiedName().replaceFirst("^cim ?", "");
        return name.isEmpty() ? CimCommand.NAME : name;
    }

    /** The envelope of a command that failed before it had a result. */
    static String failureEnvelope(String command, ExitCode exit, String message) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("ok", false);
        envelope.put("command", command);
        envelope.put("error", error(exit, message));
        return Mapper.JSON.writeValueAsString(envelope);
    }
}
