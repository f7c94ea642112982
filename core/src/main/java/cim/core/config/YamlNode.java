package cim.core.config;

import cim.core.CimException;
import cim.core.Failure;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on, so that a settings file's errors can name file:line: a mapping (in file
 * order), a list, a scalar as text, or null. A key given twice is an error, never the last one silently winning.
 */
public record YamlNode(Object value, int line) {
    /** Finds the line of a problem and says how to fix it: {@code where} is the file, as the user named it. */
    public static YamlNode parse(String text, String where) {
        try (JsonParser parser = new YAMLMapper().createParser(text)) {
            JsonToken first = parser.nextToken();
            return first == null ? new YamlNode(Map.of(), 1) : read(parser, where);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CimException(Failure.CONFIGURATION, where + ":" + line + ": not valid YAML: "
                    + problem(e.getOriginalMessage()), "fix the YAML syntax");
        }
    }

    /** The parser's message in one line, without the lines of the file it quotes ("in reader, line 1 …"). */
    private static String problem(String message) {
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))
                && !l.startsWith("in reader")).map(String::strip).reduce((a, b) -> a + "; " + b).orElse(message);
    }

    @SuppressWarnings("unchecked")
    public Map<String, YamlNode> map() {
        return value instanceof Map<?, ?> m ? (Map<String, YamlNode>) m : null;
    }

    @SuppressWarnings("unchecked")
    public List<YamlNode> list() {
        return value instanceof List<?> l ? (List<YamlNode>) l : null;
    }

    public String text() {
        return value instanceof String s ? s : null;
    }

    private static YamlNode read(JsonParser parser, String where) {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> map = new LinkedHashMap<>();
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
                if (map.put(name, read(parser, where)) != null) {
                    throw new CimException(Failure.CONFIGURATION, where + ":" + keyLine + ": '" + name
                            + "' is given twice in the same mapping", "keep one of them");
                }
            }
            return new YamlNode(map, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(parser, where));
            }
            return new YamlNode(list, line);
        }
        return new YamlNode(token == JsonToken.VALUE_NULL ? null : parser.getString(), line);
    }
}
