package cim.core.policy;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.codes.ChannelTrust;
import cim.core.codes.CodeAssigner;
import cim.core.config.YamlNode;
import cim.core.protect.CustomerField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A policy as YAML ({@code cim policy set FILE}). Anything it does not understand is a configuration error naming
 * the file and line (exit 78), never ignored. A section left out keeps the built-in default's; {@code admission: {}}
 * admits every record.
 * <pre>
 * admission:
 *   PERSON: {require: [name], any_of: [[id_number, mobile]]}
 *   ORG: {require: [name], any_of: [[uscc, org_code]]}
 * merging:
 *   link_threshold: 7.5
 *   review_threshold: 4.5
 *   trust: [direct, agent, broker, bank, car, telesales, web, wechat]
 * </pre>
 */
public final class PolicyFile {
    private static final List<String> TYPES = java.util.Arrays.stream(CustomerType.values()).map(Enum::name).toList();
    private final String where;

    private PolicyFile(String where) {
        this.where = where;
    }

    /**
     * The policy the text describes, as version {@code version}.
     *
     * @param where the file, as the user named it, for error messages
     */
    public static Policy parse(String text, String where, int version) {
        return new PolicyFile(where).read(text, version);
    }

    private Policy read(String text, int version) {
        YamlNode root = YamlNode.parse(text, where);
        Map<String, YamlNode> sections = mapping(root, "the policy", "write admission: and merging: sections");
        Admission admission = null;
        CodeAssigner.Thresholds thresholds = null;
        ChannelTrust trust = null;
        Cleansing cleansing = null;
        Retention retention = null;
        for (Map.Entry<String, YamlNode> section : sections.entrySet()) {
            YamlNode node = section.getValue();
            switch (section.getKey()) {
                case "admission" -> admission = admission(node);
                case "merging" -> {
                    Map<String, YamlNode> merging = mapping(node, "merging",
                            "write link_threshold:, review_threshold: and trust: under it");
                    double link = merging.containsKey("link_threshold")
                            ? score(merging.get("link_threshold"), "link_threshold") : fallback().thresholds().link();
                    double review = merging.containsKey("review_threshold")
                            ? score(merging.get("review_threshold"), "review_threshold")
                            : fallback().thresholds().review();
                    if (review > link) {
                        throw error(node.line(), "review_threshold (" + review + ") is above link_threshold (" + link
                                + ")", "a record goes to review below the score at which it links: lower "
                                + "review_threshold");
                    }
                    thresholds = new CodeAssigner.Thresholds(link, review);
                    for (Map.Entry<String, YamlNode> setting : merging.entrySet()) {
                        switch (setting.getKey()) {
                            case "link_threshold", "review_threshold" -> { }
                            case "trust" -> trust = new ChannelTrust(channels(setting.getValue()));
                            default -> throw error(setting.getValue().line(), "unknown merging setting '"
                                    + setting.getKey() + "'", "merging: takes link_threshold, review_threshold and "
                                    + "trust");
                        }
                    }
                }
                case "cleansing" -> cleansing = cleansing(node);
                case "retention" -> retention = retention(node);
                default -> throw error(node.line(), "unknown section '" + section.getKey() + "'",
                        "the sections are admission:, merging:, cleansing: and retention:");
            }
        }
        return new Policy(version, admission != null ? admission : fallback().admission(),
                thresholds != null ? thresholds : fallback().thresholds(), trust != null ? trust : fallback().trust(),
                cleansing != null ? cleansing : fallback().cleansing(),
                retention != null ? retention : fallback().retention());
    }

    /** The policy as YAML with every section written out: what is stored, signed and applied. */
    public static String render(Policy policy) {
        StringBuilder yaml = new StringBuilder("admission:");
        if (policy.admission().byType().isEmpty()) {
            yaml.append(" {}\n");
        } else {
            yaml.append('\n');
            for (String type : TYPES) {
                Admission.Rule rule = policy.admission().byType().get(type);
                yaml.append("  ").append(type).append(":\n    require: ").append(names(rule.required()))
                        .append("\n    any_of: [").append(String.join(", ", rule.anyOf().stream()
                                .map(PolicyFile::names).toList())).append("]\n");
            }
        }
        yaml.append("merging:\n  link_threshold: ").append(policy.thresholds().link())
                .append("\n  review_threshold: ").append(policy.thresholds().review())
                .append("\n  trust: [").append(String.join(", ", policy.trust().order().stream()
                        .map(PolicyFile::quoted).toList())).append("]\n");
        Cleansing cleansing = policy.cleansing();
        yaml.append("cleansing:\n  name_blanks: ").append(cleansing.nameBlanks()).append("\n  gender: ")
                .append(cleansing.gender()).append("\n  address: ").append(cleansing.address()).append('\n');
        yaml.append("retention:");
        if (policy.retention().rules().isEmpty()) {
            yaml.append(" {}\n");
        } else {
            yaml.append('\n');
            policy.retention().rules().forEach(rule -> yaml.append("  ").append(rule.id()).append(": {years: ")
                    .append(rule.years()).append("}\n"));
        }
        return yaml.toString();
    }

    private static String names(List<CustomerField> fields) {
        return "[" + String.join(", ", fields.stream().map(CustomerField::column).toList()) + "]";
    }

    /** A channel code as a YAML string, whatever it holds. */
    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The built-in default, for what a file leaves out (never needed while the default itself is read). */
    private static Policy fallback() {
        return Policy.DEFAULT;
    }

    private Admission admission(YamlNode node) {
        Map<String, Admission.Rule> rules = new LinkedHashMap<>();
        Map<String, YamlNode> types = mapping(node, "admission", "write one entry per customer type (PERSON:, ORG:)");
        for (Map.Entry<String, YamlNode> type : types.entrySet()) {
            String name = type.getKey().toUpperCase(Locale.ROOT);
            if (!TYPES.contains(name)) {
                throw error(type.getValue().line(), "unknown customer type '" + type.getKey() + "'",
                        "the customer types are PERSON and ORG");
            }
            if (rules.containsKey(name)) {
                throw error(type.getValue().line(), "customer type " + name + " is given twice", "keep one of them");
            }
            List<CustomerField> required = List.of();
            List<List<CustomerField>> anyOf = new ArrayList<>();
            for (Map.Entry<String, YamlNode> part : mapping(type.getValue(), name,
                    "write require: [fields] and any_of: [[fields], …] under it").entrySet()) {
                YamlNode value = part.getValue();
                switch (part.getKey()) {
                    case "require" -> required = fields(value, "require");
                    case "any_of" -> {
                        for (YamlNode group : list(value, "any_of", "any_of: [[id_number, mobile]]")) {
                            List<CustomerField> fields = fields(group, "each group of any_of");
                            if (fields.isEmpty()) {
                                throw error(group.line(), "a group of any_of is empty", "name one field or more in "
                                        + "it, or leave the group out");
                            }
                            anyOf.add(fields);
                        }
                    }
                    default -> throw error(value.line(), "unknown admission setting '" + part.getKey() + "' of "
                            + name, "a customer type takes require: and any_of:");
                }
            }
            rules.put(name, new Admission.Rule(required, anyOf));
        }
        for (String name : TYPES) {
            if (!rules.isEmpty() && !rules.containsKey(name)) {
                // a type left out would admit every record of it: say so in the file, not by omission
                throw error(node.line(), "admission gives no rule for " + name, "add '" + name + ": {}' to admit "
                        + "every " + name + " record, or its require: and any_of:");
            }
        }
        return new Admission(rules);
    }

    private Cleansing cleansing(YamlNode node) {
        Map<String, YamlNode> rules = mapping(node, "cleansing", "write name_blanks:, gender: and address: under it");
        Cleansing defaults = Cleansing.ALL;
        boolean name = defaults.nameBlanks();
        boolean gender = defaults.gender();
        boolean address = defaults.address();
        for (Map.Entry<String, YamlNode> rule : rules.entrySet()) {
            YamlNode value = rule.getValue();
            if (!"true".equals(value.text()) && !"false".equals(value.text())) {
                throw error(value.line(), "cleansing " + rule.getKey() + " must be true or false",
                        "write " + rule.getKey() + ": false to switch it off");
            }
            boolean on = Boolean.parseBoolean(value.text());
            switch (rule.getKey()) {
                case "name_blanks" -> name = on;
                case "gender" -> gender = on;
                case "address" -> address = on;
                default -> throw error(value.line(), "unknown cleansing rule '" + rule.getKey() + "'",
                        "cleansing: takes name_blanks, gender and address");
            }
        }
        return new Cleansing(name, gender, address);
    }

    private Retention retention(YamlNode node) {
        List<Retention.Rule> rules = new ArrayList<>();
        for (Map.Entry<String, YamlNode> rule : mapping(node, "retention", "write one rule per line, e.g. "
                + "aml_identity: {years: 10}").entrySet()) {
            if (!rule.getKey().matches("[a-z][a-z0-9_]{0,39}")) {
                throw error(rule.getValue().line(), "retention rule name '" + rule.getKey() + "' is not a name",
                        "use lower-case letters, digits and _ (e.g. aml_identity)");
            }
            Integer years = null;
            for (Map.Entry<String, YamlNode> setting : mapping(rule.getValue(), rule.getKey(),
                    "write years: N under it").entrySet()) {
                if (!"years".equals(setting.getKey())) {
                    throw error(setting.getValue().line(), "unknown retention setting '" + setting.getKey() + "' of "
                            + rule.getKey(), "a retention rule takes years: (after the relationship ends)");
                }
                String text = setting.getValue().text();
                if (text == null || !text.strip().matches("[1-9][0-9]?|100")) {
                    throw error(setting.getValue().line(), "years of " + rule.getKey() + " must be a whole number "
                            + "from 1 to 100", "write e.g. years: 10");
                }
                years = Integer.parseInt(text.strip());
            }
            if (years == null) {
                throw error(rule.getValue().line(), "retention rule " + rule.getKey() + " gives no years:",
                        "write e.g. " + rule.getKey() + ": {years: 10}");
            }
            rules.add(new Retention.Rule(rule.getKey(), years));
        }
        return new Retention(List.copyOf(rules));
    }

    private List<CustomerField> fields(YamlNode node, String what) {
        List<CustomerField> fields = new ArrayList<>();
        for (YamlNode item : list(node, what, "[name, mobile]")) {
            String text = item.text() == null ? "" : item.text().strip();
            CustomerField field = CustomerField.find(text).orElseThrow(() -> error(item.line(), "unknown field '"
                    + text + "' in " + what, "use canonical field names such as name, id_number, mobile, uscc "
                    + "('cim tiers list' lists them)"));
            if (fields.contains(field)) {
                throw error(item.line(), field.column() + " is named twice in " + what, "name it once");
            }
            fields.add(field);
        }
        return fields;
    }

    private List<String> channels(YamlNode node) {
        List<String> channels = new ArrayList<>();
        for (YamlNode item : list(node, "trust", "trust: [direct, agent, web]")) {
            String channel = item.text() == null ? "" : item.text().strip().toLowerCase(Locale.ROOT);
            if (channel.isEmpty() || channels.contains(channel)) {
                throw error(item.line(), channel.isEmpty() ? "an empty channel in trust" : "channel '" + channel
                        + "' is named twice in trust", "name each channel once, most trusted first");
            }
            channels.add(channel);
        }
        return channels;
    }

    private double score(YamlNode node, String what) {
        try {
            double value = Double.parseDouble(node.text());
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw error(node.line(), what + " must be a score of 0 or more", "write e.g. " + what + ": 7.5");
    }

    private List<YamlNode> list(YamlNode node, String what, String example) {
        if (node.list() == null) {
            throw error(node.line(), what + " must be a list", "write e.g. " + example);
        }
        return node.list();
    }

    private Map<String, YamlNode> mapping(YamlNode node, String what, String fix) {
        if (node.map() == null) {
            throw error(node.line(), what + " must be a mapping (name: value lines)", fix);
        }
        return node.map();
    }

    private CimException error(int line, String problem, String fix) {
        return new CimException(Failure.CONFIGURATION, where + ":" + line + ": " + problem, fix);
    }
}
