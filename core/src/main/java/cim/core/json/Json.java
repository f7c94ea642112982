package cim.core.json;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/** The one JSON mapper of cim: map keys sorted, so that the same data always gives the same text. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    /** Canonical text of a value: compact, keys sorted. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readMap(String text) {
        return text == null ? Map.of() : MAPPER.readValue(text, Map.class);
    }

    /**
     * Text that holds a JSON object (a stored explanation) as that object, for a JSON document that must not nest
     * strings holding JSON; any other text, or text that does not parse, as it is.
     */
    public static Object objectOrText(String text) {
        if (text == null || !text.startsWith("{")) {
            return text;
        }
        try {
            return readMap(text);
        } catch (RuntimeException e) {
            return text;
        }
    }
}
