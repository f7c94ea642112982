package cim.core.protect;

import java.util.Locale;
import java.util.Set;

/**
 * How a value is masked for display and export (SPEC §2). Each rule keeps only what a person needs to recognise
 * the value: a resident ID its first and last character (never the birth date), a mobile its first 3 and last 4
 * digits, a bank account its last 4, a person's name the surname, an address down to the district.
 */
public enum MaskingRule {
    RESIDENT_ID, MOBILE, BANK_ACCOUNT, NAME, ORG_ID, ADDRESS, EMAIL, FIRST_CHAR, REDACT;

    private static final String STARS = "***";
    /** Two-character surnames, so that 欧阳娜娜 shows as 欧阳** rather than 欧***. */
    private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "上官", "诸葛", "东方", "皇甫",
            "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里");
    private static final String DISTRICT_MARKERS = "区县旗";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MaskingRule parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The rule of an id, or empty when it names none. */
    public static java.util.Optional<MaskingRule> find(String id) {
        return java.util.Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * The masked form of a clear value.
     *
     * @param organisation whether the value belongs to an organisation (names are masked differently)
     */
    public String mask(String value, boolean organisation) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return switch (this) {
            case RESIDENT_ID -> keep(value, 1, 1);
            case MOBILE -> keep(value.startsWith("+86") ? value.substring(3) : value, 3, 4);
            case BANK_ACCOUNT -> accounts(value);
            case NAME -> organisation ? keep(value, 2, 4) : personName(value);
            case ORG_ID -> keep(value, 2, 4);
            case ADDRESS -> address(value);
            case EMAIL -> email(value);
            case FIRST_CHAR -> first(value) + STARS;
            case REDACT -> STARS;
        };
    }

    /** Keeps the first and last characters, a star for each one between; too short a value is all stars. */
    static String keep(String value, int head, int tail) {
        int[] cps = value.codePoints().toArray();
        if (cps.length <= head + tail) {
            return "*".repeat(cps.length);
        }
        StringBuilder masked = new StringBuilder();
        for (int i = 0; i < cps.length; i++) {
            if (i < head || i >= cps.length - tail) {
                masked.appendCodePoint(cps[i]);
            } else {
                masked.append('*');
            }
        }
        return masked.toString();
    }

    private static String personName(String name) {
        int space = name.indexOf(' ');
        if (space > 0) {
            return name.substring(0, space + 1) + name.substring(space + 1).replaceAll("\\S", "*");
        }
        int surname = name.codePointCount(0, name.length()) > 2
                && COMPOUND_SURNAMES.contains(name.substring(0, Math.min(2, name.length()))) ? 2 : 1;
        return keep(name, surname, 0);
    }

    /** In the accounts list: keys whose values stay as they are (the bank, not the account), and the holder's. */
    private static final java.util.Set<String> BANK_KEYS = java.util.Set.of("bank", "bank_name", "branch", "type",
            "currency");
    private static final java.util.Set<String> HOLDER_KEYS = java.util.Set.of("name", "holder", "account_name");
    /** A run of digits as long as an account number's shortest, inside a value that otherwise stays. */
    private static final java.util.regex.Pattern LONG_DIGITS = java.util.regex.Pattern.compile("\\d{8,}");

    /**
     * An account number's last four digits; in an accounts list (JSON), each account's number so (and any other
     * value but the bank's: a key cim does not know may hold a number too), and its holder's name by the name rule,
     * instead of the whole text masked as one string.
     */
    private static String accounts(String value) {
        char first = value.charAt(0);
        if (first != '[' && first != '{') {
            return keep(value, 0, 4);
        }
        tools.jackson.databind.JsonNode node;
        try {
            node = cim.core.json.Json.MAPPER.readTree(value);
        } catch (RuntimeException e) {
            return keep(value, 0, 4);
        }
        return cim.core.json.Json.write(maskAccounts(node, null));
    }

    private static tools.jackson.databind.JsonNode maskAccounts(tools.jackson.databind.JsonNode node, String key) {
        if (node.isObject()) {
            tools.jackson.databind.node.ObjectNode object = (tools.jackson.databind.node.ObjectNode) node;
            for (String name : java.util.List.copyOf(object.propertyNames())) {
                object.set(name, maskAccounts(object.get(name), name));
            }
            return object;
        }
        if (node.isArray()) {
            tools.jackson.databind.node.ArrayNode array = (tools.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, maskAccounts(array.get(i), null));
            }
            return array;
        }
        if (node.isNull()) {
            return node;
        }
        if (key != null && BANK_KEYS.contains(key)) {
            // the bank's name stays, but a number written into it (or into the type) shows its last four only
            String text = node.asString();
            java.util.regex.Matcher digits = LONG_DIGITS.matcher(text);
            if (!digits.find()) {
                return node;
            }
            return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(digits.replaceAll(
                    m -> keep(m.group(), 0, 4)));
        }
        String text = node.asString();
        return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(key != null && HOLDER_KEYS.contains(key)
                ? personName(text) : keep(text, 0, 4));
    }

    private static String address(String address) {
        int cut = -1;
        for (int i = 1; i < address.length() && i < 20; i++) {
            if (DISTRICT_MARKERS.indexOf(address.charAt(i)) >= 0) {
                cut = i + 1;
                break;
            }
        }
        if (cut < 0) {
            int city = address.indexOf('市');
            cut = city > 0 ? city + 1 : Math.min(3, address.length());
        }
        return address.substring(0, Math.min(cut, address.length())) + "****";
    }

    private static String email(String email) {
        int at = email.lastIndexOf('@');
        return at < 0 ? first(email) + STARS : first(email) + STARS + email.substring(at);
    }

    private static String first(String value) {
        return new String(Character.toChars(value.codePointAt(0)));
    }
}
