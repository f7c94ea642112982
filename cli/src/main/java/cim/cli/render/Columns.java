package cim.cli.render;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How the rows of a result (records from core) are shown: each column's header in a table and CSV, its name in JSON
 * (snake_case), and its value for each (people may get a shorter form than JSON: a date for a timestamp). Declared
 * once per command, so that the table and the JSON document cannot drift apart.
 */
public final class Columns<R> {
    private record Column<R>(String header, String jsonName, Function<R, Object> tableValue,
                             Function<R, Object> jsonValue) { }

    private final List<Column<R>> columns = new ArrayList<>();

    private Columns() {
    }

    /** No columns yet: add them in order. */
    public static <R> Columns<R> empty() {
        return new Columns<>();
    }

    /**
     * Every component of a record type, in order: JSON names in snake_case (startedAt: started_at), headers the same
     * with spaces, values as they are.
     */
    public static <R extends Record> Columns<R> of(Class<R> type) {
        Columns<R> columns = new Columns<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String json = snakeCase(component.getName());
            columns.add(json.replace('_', ' '), json, r -> read(component, r));
        }
        return columns;
    }

    /** A column whose value is the same for people and for JSON. */
    public Columns<R> add(String header, String jsonName, Function<R, Object> value) {
        return add(header, jsonName, value, value);
    }

    public Columns<R> add(String header, String jsonName, Function<R, Object> tableValue,
                          Function<R, Object> jsonValue) {
        columns.add(new Column<>(header, jsonName, tableValue, jsonValue));
        return this;
    }

    /** A column for people alone (a summary of values JSON gives apart). */
    public Columns<R> tableOnly(String header, Function<R, Object> value) {
        return add(header, null, value, null);
    }

    /** A value for JSON alone. */
    public Columns<R> jsonOnly(String jsonName, Function<R, Object> value) {
        return add(null, jsonName, null, value);
    }

    /** The rows as a table (for the table and CSV formats). */
    public Table table(List<R> rows) {
        List<Column<R>> shown = columns.stream().filter(c -> c.header() != null).toList();
        Table table = new Table(shown.stream().map(Column::header).toArray(String[]::new));
        for (R row : rows) {
            table.row(shown.stream().map(c -> c.tableValue().apply(row)).toArray());
        }
        return table;
    }

    /** The rows as JSON objects, keyed by the columns' JSON names in order. */
    public List<Map<String, Object>> json(List<R> rows) {
        List<Map<String, Object>> objects = new ArrayList<>(rows.size());
        for (R row : rows) {
            Map<String, Object> object = new LinkedHashMap<>();
            columns.stream().filter(c -> c.jsonName() != null)
                    .forEach(c -> object.put(c.jsonName(), c.jsonValue().apply(row)));
            objects.add(object);
        }
        return objects;
    }

    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
