package cim.core.export;

import cim.core.json.Json;
import cim.core.protect.CustomerField;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an export is for (PIPL Art. 6 and 44: use bound to a purpose), and whom it therefore leaves out. A
 * restricted customer ({@code cim codes erase --restrict}) is kept for the retention purpose only: in a
 * {@code regulatory} export, in no other. A customer whose preferences withdraw consent ({@code "privacy":
 * "withdrawn"}, {@code "no-processing"}, 撤回同意) is in none but a {@code regulatory} one; one who refuses marketing
 * ({@code "privacy": "no-marketing"}, 拒绝营销) is in no {@code marketing} export, and the contact channels a customer
 * refused ({@code "refused_channels": ["sms", "email", …]}) are left empty in it.
 */
public enum Purpose {
    MARKETING, SERVICE, REGULATORY;

    private static final Set<String> WITHDRAWN = Set.of("withdrawn", "no-processing", "no_processing",
            "consent-withdrawn", "撤回同意");
    private static final Set<String> NO_MARKETING = Set.of("no-marketing", "no_marketing", "nomarketing",
            "拒绝营销");
    private static final Map<String, List<CustomerField>> CHANNEL_FIELDS = Map.ofEntries(
            Map.entry("sms", List.of(CustomerField.MOBILE)), Map.entry("短信", List.of(CustomerField.MOBILE)),
            Map.entry("mobile", List.of(CustomerField.MOBILE)), Map.entry("手机", List.of(CustomerField.MOBILE)),
            Map.entry("phone", List.of(CustomerField.PHONE, CustomerField.MOBILE)),
            Map.entry("call", List.of(CustomerField.PHONE, CustomerField.MOBILE)),
            Map.entry("电话", List.of(CustomerField.PHONE, CustomerField.MOBILE)),
            Map.entry("email", List.of(CustomerField.EMAIL)), Map.entry("邮件", List.of(CustomerField.EMAIL)),
            Map.entry("电子邮件", List.of(CustomerField.EMAIL)), Map.entry("wechat", List.of(CustomerField.WECHAT)),
            Map.entry("微信", List.of(CustomerField.WECHAT)), Map.entry("qq", List.of(CustomerField.QQ)),
            Map.entry("mail", List.of(CustomerField.ADDRESS, CustomerField.POSTAL_CODE)),
            Map.entry("post", List.of(CustomerField.ADDRESS, CustomerField.POSTAL_CODE)),
            Map.entry("邮寄", List.of(CustomerField.ADDRESS, CustomerField.POSTAL_CODE)));
    /** Under these keys a preferences document says what the customer consents to (隐私: privacy). */
    private static final List<String> CONSENT_KEYS = List.of("privacy", "consent", "marketing", "隐私", "营销");

    /** The name on the command line and in the audit trail. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Purpose parse(String text) {
        for (Purpose purpose : values()) {
            if (purpose.id().equals(text == null ? null : text.strip().toLowerCase(Locale.ROOT))) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown purpose " + text);
    }

    /** Whether this purpose leaves out a customer so restricted and with these preferences (JSON, clear or null). */
    public boolean leavesOut(boolean restricted, String preferences) {
        if (this == REGULATORY) {
            return false;
        }
        if (restricted) {
            return true;
        }
        Set<String> said = said(preferences, CONSENT_KEYS.toArray(String[]::new));
        return said.stream().anyMatch(WITHDRAWN::contains)
                || this == MARKETING && said.stream().anyMatch(NO_MARKETING::contains);
    }

    /** The contact fields this purpose leaves empty for a customer with these preferences. */
    public Set<CustomerField> withheld(String preferences) {
        Set<CustomerField> fields = EnumSet.noneOf(CustomerField.class);
        if (this == MARKETING) {
            for (String channel : said(preferences, "refused_channels", "refuse", "no_contact")) {
                fields.addAll(CHANNEL_FIELDS.getOrDefault(channel, List.of()));
            }
        }
        return fields;
    }

    /**
     * Every value under a key, however nested: strings as they are, {@code false} as the key withdrawn
     * ({@code "marketing": false} is no-marketing, {@code "consent": false} a withdrawal).
     */
    private static void collect(String key, Object value, Set<String> said) {
        if (value instanceof Map<?, ?> nested) {
            nested.forEach((k, v) -> collect(String.valueOf(k), v, said));
        } else if (value instanceof List<?> items) {
            items.forEach(item -> collect(key, item, said));
        } else if (Boolean.FALSE.equals(value)) {
            said.add(key.equals("marketing") || key.equals("营销") ? "no-marketing" : "withdrawn");
        } else if (value != null) {
            said.add(value.toString().strip().toLowerCase(Locale.ROOT));
        }
    }

    /** What the preferences say under these keys: each string, or each string of a list, lower-case. */
    private static Set<String> said(String preferences, String... keys) {
        Set<String> said = new java.util.HashSet<>();
        if (preferences == null || preferences.isBlank()) {
            return said;
        }
        Object read;
        try {
            read = Json.MAPPER.readValue(preferences, Object.class);
        } catch (RuntimeException notJson) {
            // preferences in words: a marker written anywhere in them still counts
            said.addAll(List.of(preferences.toLowerCase(Locale.ROOT).split("[\\s,;:=\"{}\\[\\]]+")));
            return said;
        }
        List<Object> objects = new ArrayList<>();
        if (read instanceof List<?> list) {
            objects.addAll(list);
        } else {
            objects.add(read);
        }
        for (Object object : objects) {
            if (!(object instanceof Map<?, ?> map)) {
                continue;
            }
            for (String key : keys) {
                collect(key, map.get(key), said);
            }
        }
        return said;
    }
}
