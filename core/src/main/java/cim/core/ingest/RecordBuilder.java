package cim.core.ingest;

import cim.core.CustomerStatus;
import cim.core.CustomerType;
import cim.core.codes.Relations;
import cim.core.json.Json;
import cim.core.policy.Cleansing;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldPolicy;
import cim.core.protect.FieldProtector;
import cim.core.protect.Quarantined;
import cim.core.protect.TierRegistry;
import cim.core.validate.Cleanser;
import cim.core.validate.Dates;
import cim.core.validate.FieldCheck;
import cim.core.validate.Normalizer;
import cim.core.validate.Problem;
import cim.core.validate.ResidentId;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Turns a row as read into a source record ready to store: every value normalised, validated (an invalid value is
 * kept, flagged with its reason, never "corrected" or dropped) and protected as its tier says. A row that cannot be
 * used at all becomes a quarantine entry: its raw text sealed whole, and a masked copy for people.
 */
final class RecordBuilder {
    private static final List<CustomerField> IDENTIFIERS = List.of(CustomerField.ID_NUMBER, CustomerField.USCC,
            CustomerField.ORG_CODE, CustomerField.BUSINESS_LICENCE, CustomerField.MOBILE, CustomerField.PHONE,
            CustomerField.EMAIL, CustomerField.WECHAT, CustomerField.QQ);
    private static final Set<String> POLICY_ROLES = Set.of("policyholder", "insured", "投保人", "被保险人");

    /** What became of a row. */
    sealed interface Built permits Staged, Rejected { }

    /** A usable row: stored values (sealed where tier 1), blind indexes, and the invalid values' reasons. */
    record Staged(long line, String sourceSystem, String sourceKey, String customerType, String status,
                  String branch, OffsetDateTime collectedAt, Map<CustomerField, String> stored,
                  Map<CustomerField, String> blindIndexes, String issues, String cleansed) implements Built { }

    /** An unusable row: why, its raw text (sealed when stored, bound to its batch and line), and a masked copy. */
    record Rejected(long line, String reason, String raw, String maskedRaw) implements Built { }

    private final String defaultSource;
    private final Set<String> channels;
    private final Cleansing cleansing;
    private final TierRegistry registry;
    private final FieldProtector protector;
    private final LocalDate today;

    /** @param channels the registered channels: a row that names another is rejected */
    RecordBuilder(String defaultSource, Set<String> channels, Cleansing cleansing, TierRegistry registry,
                  FieldProtector protector, LocalDate today) {
        this.defaultSource = defaultSource;
        this.channels = channels;
        this.cleansing = cleansing;
        this.registry = registry;
        this.protector = protector;
        this.today = today;
    }

    Built build(RawRow row) {
        if (row.problem() != null) {
            return reject(row, row.problem());
        }
        Map<String, String> values = row.values();
        for (String value : values.values()) {
            if (value.indexOf('\u0000') >= 0) {
                // PostgreSQL text holds no NUL: refused here with the row's line, not by the database (exit 70)
                String field = values.entrySet().stream().filter(e -> e.getValue().indexOf('\u0000') >= 0)
                        .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
                return reject(row, field + " holds a NUL character: the file is binary or damaged there");
            }
            if (value.length() > InputLimits.FIELD_CHARS) {
                String field = values.entrySet().stream().filter(e -> e.getValue().length() > InputLimits.FIELD_CHARS)
                        .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
                return reject(row, field + " is longer than " + InputLimits.FIELD_CHARS
                        + " characters: check the column holds what its header says");
            }
        }
        String key = Normalizer.text(values.get(HeaderMapping.SOURCE_KEY));
        if (key == null) {
            return reject(row, "no source_key");
        }
        if (key.length() > 200) {
            return reject(row, "source_key is longer than 200 characters");
        }
        if (Normalizer.text(values.get("name")) == null
                && IDENTIFIERS.stream().allMatch(f -> Normalizer.text(values.get(f.column())) == null)) {
            return reject(row, "neither a name nor any identifier (id_number, uscc, org_code, mobile, email …)");
        }
        String system = Optional.ofNullable(Normalizer.text(values.get(HeaderMapping.SOURCE_SYSTEM)))
                .orElse(defaultSource);
        if (system == null) {
            return reject(row, "no source_system, and the import has no --source");
        }
        if (system.length() > 40) {
            return reject(row, "source_system is longer than 40 characters");
        }
        if (system.indexOf('/') >= 0) {
            // channel/key names a record (and binds its sealed values): a '/' in the channel would make it ambiguous
            return reject(row, "source_system holds a '/': channel codes may not (use '-' or '_')");
        }
        if (!channels.contains(system)) {
            return reject(row, "source_system names a channel that is not registered: an admin registers it with "
                    + "'cim channels add CODE --name NAME --owner DEPT'");
        }
        CustomerType type = customerType(values);
        if (type == null) {
            return reject(row, "customer_type must be PERSON or ORG (个人, 企业 and 机构 are understood)");
        }
        CustomerStatus status = status(values);
        if (status == null) {
            return reject(row, "status must be INSURED or POTENTIAL (已投保 and 潜在 are understood)");
        }
        String branch = Normalizer.text(values.get(HeaderMapping.BRANCH));
        if (branch != null && branch.length() > 40) {
            return reject(row, "branch is longer than 40 characters: give the organisation unit's code");
        }

        // every value is bound to this record (a golden record keeps the binding of the record that supplied it)
        String boundTo = FieldProtector.row(system, key);
        Map<CustomerField, String> stored = new EnumMap<>(CustomerField.class);
        Map<CustomerField, String> indexes = new EnumMap<>(CustomerField.class);
        Map<String, String> issues = new TreeMap<>();
        Map<String, String> received = new TreeMap<>();
        OffsetDateTime collectedAt = collectedAt(values.get(HeaderMapping.COLLECTED_AT), issues);
        for (CustomerField field : CustomerField.values()) {
            String raw = values.get(field.column());
            if (raw == null) {
                continue;
            }
            String value;
            Optional<Problem> problem;
            if (field == CustomerField.MOBILE || field == CustomerField.PHONE) {
                FieldCheck.Checked phone = FieldCheck.checked(field, raw, null);
                if (phone.value() == null) {
                    continue;
                }
                value = phone.value();
                problem = phone.problem();
            } else {
                value = FieldCheck.normalised(field, raw);
                if (value == null) {
                    continue;
                }
                String cleansed = cleanse(field, value);
                if (cleansed != null && !cleansed.equals(value)) {
                    // as received (normalised): sealed below, whatever the field's tier
                    received.put(field.column(), value);
                    value = cleansed;
                }
                problem = validate(field, value, values);
                if (field == CustomerField.GENDER && cleansing.gender() && cleansed == null) {
                    problem = Optional.of(Problem.of(Problem.Kind.FORMAT, "not 男/女/M/F/1/2/male/female"));
                }
                if (field == CustomerField.RELATIONS) {
                    // another party's ID number or credit code is kept as its blind index only
                    value = Relations.withoutIdentifiers(value, protector);
                }
            }
            problem.ifPresent(p -> issues.put(field.column(), p.toString()));
            FieldProtector.Stored protectedValue = protector.storeNormalised(registry, field, boundTo, value);
            stored.put(field, protectedValue.value());
            if (protectedValue.blindIndex() != null) {
                indexes.put(field, protectedValue.blindIndex());
            }
        }
        return new Staged(row.line(), system, key, type.name(), status.name(), branch, collectedAt, stored, indexes,
                issues.isEmpty() ? null : Json.write(issues),
                received.isEmpty() ? null : protector.seal(Cleanser.SEAL_CONTEXT, boundTo, Json.write(received)));
    }

    /** The value a cleansing rule of the policy makes of a normalised one; null when none applies. */
    private String cleanse(CustomerField field, String value) {
        return switch (field) {
            case NAME, CONTACT_PERSON -> cleansing.nameBlanks() ? Normalizer.name(value) : null;
            case GENDER -> cleansing.gender() ? Cleanser.gender(value) : null;
            case ADDRESS -> cleansing.address() ? Cleanser.address(value) : null;
            default -> null;
        };
    }

    /**
     * When the channel collected the record; null, flagged with why, when it is no time or later than the import
     * (timeliness would count from it).
     */
    private OffsetDateTime collectedAt(String raw, Map<String, String> issues) {
        String text = Normalizer.text(raw);
        if (text == null) {
            return null;
        }
        Optional<OffsetDateTime> time = Dates.parseTime(text, ZoneId.systemDefault());
        if (time.isEmpty()) {
            issues.put(HeaderMapping.COLLECTED_AT, "format: not a date or time (2026-11-01, 2026-11-01 10:00, "
                    + "2026-11-01T10:00:00+08:00)");
            return null;
        }
        if (time.get().toLocalDate().isAfter(today.plusDays(1))) {
            issues.put(HeaderMapping.COLLECTED_AT, "date: later than the import");
            return null;
        }
        return time.get();
    }

    private Optional<Problem> validate(CustomerField field, String value, Map<String, String> row) {
        boolean organisation = customerType(row) == CustomerType.ORG;
        if (field == CustomerField.RELATIONS) {
            return Relations.problem(value).map(p -> Problem.of(Problem.Kind.FORMAT, p));
        }
        return FieldCheck.problem(field, value, new FieldCheck.Context(isResidentId(row), organisation, today));
    }

    private static boolean isResidentId(Map<String, String> row) {
        return ResidentId.isResidentIdType(Normalizer.text(row.get("id_type")));
    }

    /** The type given, or inferred from organisation identifiers; null when the given type is not one. */
    private static CustomerType customerType(Map<String, String> values) {
        String given = Normalizer.text(values.get(HeaderMapping.CUSTOMER_TYPE));
        if (given == null) {
            boolean org = Normalizer.text(values.get("uscc")) != null || Normalizer.text(values.get("org_code")) != null
                    || Normalizer.text(values.get("business_licence")) != null;
            return org ? CustomerType.ORG : CustomerType.PERSON;
        }
        return switch (given.toUpperCase(Locale.ROOT)) {
            case "PERSON", "P", "个人", "自然人" -> CustomerType.PERSON;
            case "ORG", "ORGANISATION", "ORGANIZATION", "G", "企业", "机构", "单位", "组织" -> CustomerType.ORG;
            default -> null;
        };
    }

    /** INSURED when the row holds a policy on which the customer is policyholder or insured (Art. 5). */
    private static CustomerStatus status(Map<String, String> values) {
        if (holdsPolicy(values.get("policies"))) {
            return CustomerStatus.INSURED;
        }
        String given = Normalizer.text(values.get(HeaderMapping.STATUS));
        if (given == null) {
            return CustomerStatus.POTENTIAL;
        }
        return switch (given.toUpperCase(Locale.ROOT)) {
            case "INSURED", "已投保", "在保", "承保客户" -> CustomerStatus.INSURED;
            case "POTENTIAL", "潜在", "潜在客户" -> CustomerStatus.POTENTIAL;
            default -> null;
        };
    }

    private static boolean holdsPolicy(String policies) {
        if (policies == null || policies.isBlank()) {
            return false;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(policies);
            for (JsonNode policy : node.isArray() ? node : List.of(node)) {
                JsonNode role = policy.get("role");
                if (role == null || POLICY_ROLES.contains(role.asString().toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Rejected reject(RawRow row, String reason) {
        return new Rejected(row.line(), reason, row.raw(), masked(row));
    }

    /** The row for people: tier-1 values masked, columns cim does not know left out (they could hold anything). */
    private String masked(RawRow row) {
        if (row.values().isEmpty()) {
            return "(unusable row of " + row.raw().length() + " characters)";
        }
        // a NUL cannot be stored in text: shown as U+FFFD in the copy for people
        return Quarantined.masked(row.values(), registry).replace('\u0000', '\uFFFD');
    }
}
