package cim.core.quality;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.config.YamlNode;
import cim.core.protect.CustomerField;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rules file ({@code --rules F}, YAML): overrides of the built-in rules (severity, threshold, enabled, waivers),
 * extra rules on any canonical field (not_null, allowed, regex, range) and parameters. Anything it does not
 * understand is a configuration error naming the file and line (exit 78), never ignored. What reads a field's values
 * one by one (a custom rule, waivers by value) is listed as a {@link ValueReader}: on a tier-1 field its failures
 * would reveal the values, so the check refuses it unless a steward gives a reason.
 * <pre>
 * rules:
 *   person.id_number.checksum: {severity: fail, threshold: 0.5%}
 *   contact.phone.valid: {enabled: false}
 *   org.uscc.checksum: {waive_keys: [crm/C-1042]}
 * custom:
 *   - {id: custom.industry.allowed, field: industry, check: allowed, values: [保险, 金融], severity: warn}
 * params:
 *   stale_after_days: 365
 * </pre>
 */
public final class RulesFile {
    /** The rules to run, the parameters, the file's SHA-256 (kept with each run), and what reads values one by one. */
    public record Loaded(List<Rule> rules, int staleAfterDays, String sha256, List<ValueReader> valueReaders,
                         String text, String name) {
        /** What in the file reads these fields' values one by one, where. */
        public List<ValueReader> reading(Set<CustomerField> fields) {
            return valueReaders.stream().filter(r -> fields.contains(r.field())).toList();
        }
    }

    /**
     * A custom rule, or a waiver by value, on a field: whether a record fails it depends on the value, so the
     * records in {@code --failures} (or the waived count) answer a question about each value.
     *
     * @param where the file and line
     * @param what  in words, e.g. "custom rule custom.qq.digits"
     */
    public record ValueReader(String ruleId, CustomerField field, String where, String what) {
        @Override
        public String toString() {
            return where + ": " + what + " on " + field.column();
        }
    }

    private final Path file;
    private final List<ValueReader> valueReaders = new ArrayList<>();

    private RulesFile(Path file) {
        this.file = file;
    }

    /** The built-in rules with no file. */
    public static Loaded defaults() {
        return new Loaded(Catalogue.builtIn(), Catalogue.STALE_AFTER_DAYS, null, List.of(), null, null);
    }

    /** The built-in rules as the file adjusts them, and its extra rules. */
    public static Loaded read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot read the rules file " + file + ": " + e.getMessage(),
                    "check the path given to --rules");
        }
        return new RulesFile(file).load(bytes);
    }

    /** A rules file's text as {@link #read} read it (where it was shipped to a worker of another engine). */
    static Loaded parse(String text, String name) {
        return new RulesFile(Path.of(name)).load(text.getBytes(StandardCharsets.UTF_8));
    }

    private Loaded load(byte[] bytes) {
        YamlNode root = YamlNode.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        if (root.map() == null) {
            throw error(root.line(), "the file must be a mapping with rules:, custom: and params:",
                    "see 'cim quality check --help' for the format");
        }
        Map<String, Rule> rules = new LinkedHashMap<>();
        Catalogue.builtIn().forEach(r -> rules.put(r.id(), r));
        int staleAfterDays = Catalogue.STALE_AFTER_DAYS;
        for (Map.Entry<String, YamlNode> section : root.map().entrySet()) {
            YamlNode node = section.getValue();
            switch (section.getKey()) {
                case "rules" -> overrides(node, rules);
                case "custom" -> custom(node, rules);
                case "params" -> {
                    for (Map.Entry<String, YamlNode> param : mapping(node, "params").entrySet()) {
                        if (!param.getKey().equals("stale_after_days")) {
                            throw error(param.getValue().line(), "unknown parameter '" + param.getKey() + "'",
                                    "the parameters are: stale_after_days");
                        }
                        staleAfterDays = positiveInt(param.getValue(), "stale_after_days");
                    }
                }
                default -> throw error(node.line(), "unknown section '" + section.getKey() + "'",
                        "the sections are rules:, custom: and params:");
            }
        }
        // a rule disabled further down reads nothing
        List<ValueReader> reading = valueReaders.stream().filter(r -> rules.containsKey(r.ruleId())).toList();
        return new Loaded(List.copyOf(rules.values()), staleAfterDays, sha256(bytes), reading,
                new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    private void overrides(YamlNode node, Map<String, Rule> rules) {
        for (Map.Entry<String, YamlNode> entry : mapping(node, "rules").entrySet()) {
            Rule rule = rules.get(entry.getKey());
            if (rule == null) {
                throw error(entry.getValue().line(), "unknown rule '" + entry.getKey() + "'",
                        "'cim quality rules' lists the rules; extra rules go under custom:");
            }
            for (Map.Entry<String, YamlNode> setting : mapping(entry.getValue(), entry.getKey()).entrySet()) {
                YamlNode value = setting.getValue();
                switch (setting.getKey()) {
                    case "severity" -> rule = rule.withSeverity(severity(value));
                    case "threshold" -> rule = rule.withThreshold(threshold(value));
                    case "waivers" -> {
                        rule = rule.withWaivers(strings(value, "waivers"));
                        readsValues(rule.id(), rule.field(), value, "waivers by value of " + rule.id());
                    }
                    case "waive_keys" -> rule = rule.withKeyWaivers(strings(value, "waive_keys"));
                    case "enabled" -> {
                        if (!bool(value, "enabled")) {
                            rule = null;
                        }
                    }
                    default -> throw error(value.line(), "unknown setting '" + setting.getKey() + "' of "
                            + entry.getKey(), "a rule takes severity, threshold, enabled, waivers and waive_keys");
                }
                if (rule == null) {
                    break;
                }
            }
            if (rule == null) {
                rules.remove(entry.getKey());
            } else {
                rules.put(rule.id(), rule);
            }
        }
    }

    private void custom(YamlNode node, Map<String, Rule> rules) {
        if (node.list() == null) {
            throw error(node.line(), "custom: must be a list of rules", "write each rule as '- {id: …, field: …, "
                    + "check: not_null|allowed|regex|range …}'");
        }
        for (YamlNode item : node.list()) {
            Map<String, YamlNode> spec = mapping(item, "a custom rule");
            String id = required(spec, item, "id");
            if (rules.containsKey(id)) {
                throw error(spec.get("id").line(), "rule '" + id + "' is defined twice", "give it another id");
            }
            YamlNode fieldNode = spec.get("field");
            CustomerField field = CustomerField.find(required(spec, item, "field")).orElseThrow(() -> error(
                    fieldNode.line(), "unknown field '" + fieldNode.text() + "'", "use a canonical field name such as "
                            + "industry, email or postal_code"));
            String kind = required(spec, item, "check");
            Rule.Check check = switch (kind) {
                case "not_null" -> (r, c) -> r.has(field) ? null : "no " + field.column();
                case "allowed" -> {
                    Set<String> allowed = strings(spec.get("values") == null ? missing(item, "values") : spec.get("values"),
                            "values");
                    yield (r, c) -> !r.has(field) || allowed.contains(r.get(field)) ? null
                            : field.column() + " is not one of the allowed values";
                }
                case "regex" -> {
                    YamlNode patternNode = spec.get("pattern") == null ? missing(item, "pattern") : spec.get("pattern");
                    Pattern pattern;
                    try {
                        pattern = Pattern.compile(patternNode.text() == null ? "" : patternNode.text());
                    } catch (PatternSyntaxException e) {
                        throw error(patternNode.line(), "the pattern is not a regular expression cim can run: "
                                + e.getDescription(), "fix the pattern (RE2 syntax: no back-references or "
                                        + "look-arounds, which could take exponential time)");
                    }
                    yield (r, c) -> !r.has(field) || pattern.matcher(r.get(field)).matches() ? null
                            : field.column() + " does not match " + pattern.pattern();
                }
                case "range" -> {
                    double min = spec.get("min") == null ? Double.NEGATIVE_INFINITY : number(spec.get("min"), "min");
                    double max = spec.get("max") == null ? Double.POSITIVE_INFINITY : number(spec.get("max"), "max");
                    yield (r, c) -> {
                        if (!r.has(field)) {
                            return null;
                        }
                        try {
                            double v = Double.parseDouble(r.get(field).strip());
                            return v >= min && v <= max ? null : field.column() + " is outside " + min + " to " + max;
                        } catch (NumberFormatException e) {
                            return field.column() + " is not a number";
                        }
                    };
                }
                default -> throw error(spec.get("check").line(), "unknown check '" + kind + "'",
                        "a custom rule checks not_null, allowed (values:), regex (pattern:) or range (min:, max:)");
            };
            for (String key : spec.keySet()) {
                if (!Set.of("id", "field", "check", "values", "pattern", "min", "max", "severity", "threshold",
                        "waivers", "waive_keys", "description").contains(key)) {
                    throw error(spec.get(key).line(), "unknown setting '" + key + "' of custom rule " + id,
                            "a custom rule takes id, field, check, values, pattern, min, max, severity, threshold, "
                                    + "waivers, waive_keys and description");
                }
            }
            Severity severity = spec.get("severity") == null ? Severity.FAIL : severity(spec.get("severity"));
            Threshold threshold = spec.get("threshold") == null ? Threshold.NONE : threshold(spec.get("threshold"));
            Set<String> waivers = spec.get("waivers") == null ? Set.of() : strings(spec.get("waivers"), "waivers");
            Set<String> keyWaivers = spec.get("waive_keys") == null ? Set.of()
                    : strings(spec.get("waive_keys"), "waive_keys");
            String description = spec.get("description") == null ? kind + " on " + field.column()
                    : spec.get("description").text();
            Dimension dimension = kind.equals("not_null") ? Dimension.COMPLETENESS : Dimension.VALIDITY;
            // not_null checks every record; the others check the records that have a value
            rules.put(id, new Rule(id, dimension, field, severity, threshold, description,
                    kind.equals("not_null") ? r -> true : r -> r.has(field), check, waivers, keyWaivers, true));
            readsValues(id, field, item, "custom rule " + id);
        }
    }

    private void readsValues(String ruleId, CustomerField field, YamlNode where, String what) {
        if (field != null) {
            valueReaders.add(new ValueReader(ruleId, field, file + ":" + where.line(), what));
        }
    }

    private Map<String, YamlNode> mapping(YamlNode node, String what) {
        if (node.map() == null) {
            throw error(node.line(), what + " must be a mapping (name: value lines)", "indent its settings under it");
        }
        return node.map();
    }

    private String required(Map<String, YamlNode> spec, YamlNode item, String key) {
        YamlNode node = spec.get(key) == null ? missing(item, key) : spec.get(key);
        if (node.text() == null || node.text().isBlank()) {
            throw error(node.line(), key + " must be a text", "give the custom rule's " + key);
        }
        return node.text().strip();
    }

    private YamlNode missing(YamlNode item, String key) {
        throw error(item.line(), "the custom rule has no " + key + ":", "add " + key + ": to it");
    }

    private Severity severity(YamlNode node) {
        return Severity.parse(node.text()).orElseThrow(() -> error(node.line(), "severity must be warn or fail, not '"
                + node.text() + "'", "write severity: warn or severity: fail"));
    }

    private Threshold threshold(YamlNode node) {
        return Threshold.parse(node.text()).orElseThrow(() -> error(node.line(), "threshold must be a count (10) or a "
                + "percentage (0.5%), not '" + node.text() + "'", "write e.g. threshold: 0 or threshold: 1%"));
    }

    private Set<String> strings(YamlNode node, String what) {
        if (node.list() == null) {
            throw error(node.line(), what + " must be a list", "write " + what + ": [a, b]");
        }
        Set<String> values = new LinkedHashSet<>();
        for (YamlNode item : node.list()) {
            if (item.text() == null) {
                throw error(item.line(), what + " must hold plain values", "quote each value");
            }
            values.add(item.text());
        }
        return values;
    }

    private boolean bool(YamlNode node, String what) {
        if ("true".equals(node.text()) || "false".equals(node.text())) {
            return Boolean.parseBoolean(node.text());
        }
        throw error(node.line(), what + " must be true or false", "write " + what + ": false to disable the rule");
    }

    private double number(YamlNode node, String what) {
        try {
            return Double.parseDouble(node.text());
        } catch (NumberFormatException | NullPointerException e) {
            throw error(node.line(), what + " must be a number", "write e.g. " + what + ": 0");
        }
    }

    private int positiveInt(YamlNode node, String what) {
        try {
            int value = Integer.parseInt(node.text());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw error(node.line(), what + " must be a whole number of days above 0", "write e.g. " + what + ": 365");
    }

    private CimException error(int line, String problem, String fix) {
        return new CimException(Failure.CONFIGURATION, file + ":" + line + ": " + problem, fix);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
