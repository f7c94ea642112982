package cim.core.policy;

import cim.core.json.Json;
import cim.core.validate.Dates;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the law makes the insurer keep after a customer asks for erasure (PIPL Art. 47 gives way to it): each rule
 * keeps a customer's data for a number of years after the relationship ends, such as the anti-money-laundering
 * rule on identity records (10 years). {@code cim codes erase} refuses while a rule applies, naming it and the date
 * it ends; {@code --restrict} keeps the data for that purpose only.
 *
 * <p>The relationship is the customer's policies: it ends when the last of them ends (the latest end date its
 * records give, under {@code end_date}, {@code end}, {@code expiry_date} or {@code 终保日期}). A customer with a policy
 * in force, or insured without an end date on record, has not ended it; one that never held a policy (a potential
 * customer without policies) has none, and no rule applies.
 */
public record Retention(List<Rule> rules) {
    /** One rule: its name, and how many years after the relationship ends it keeps the data. */
    public record Rule(String id, int years) { }

    /** The anti-money-laundering rule of the built-in policy, for the SPEC's retention fact. */
    public static final Retention DEFAULT = new Retention(List.of(new Rule("aml_identity", 10)));

    static final List<String> END_KEYS = List.of("end_date", "end", "expiry_date", "expires", "终保日期", "保险止期");

    /** How a customer's relationship stands: ongoing, ended on a date, or never begun. */
    public record Relationship(boolean ongoing, LocalDate ended) {
        static final Relationship NONE = new Relationship(false, null);

        public boolean exists() {
            return ongoing || ended != null;
        }
    }

    /** A rule that keeps a customer's data: the rule, and until when (null: until years after it ends). */
    public record Hold(Rule rule, LocalDate until, Relationship relationship) {
        /** The hold in words, for the refusal: "rule aml_identity keeps it until 2036-06-30 (…)". */
        public String describe() {
            return "retention rule " + rule.id() + " keeps it " + (until == null
                    ? "until " + rule.years() + " years after the relationship ends (a policy is still in force)"
                    : "until " + until + " (" + rule.years() + " years after its last policy ended on "
                            + relationship.ended() + ")");
        }
    }

    /**
     * The customer's relationship from its records as the channels delivered them (every version, so that a policy
     * a channel dropped later still counts; never a steward's correction): insured by any record, and each record's
     * policies (JSON, clear, null when it has none). A policy list that cannot be read cannot show that the
     * relationship ended: it counts as in force.
     */
    public static Relationship relationship(boolean insured, List<String> policies, LocalDate today) {
        List<Object> items = new ArrayList<>();
        for (String list : policies) {
            if (list == null) {
                continue;
            }
            try {
                Object read = Json.MAPPER.readValue(list, Object.class);
                if (read instanceof List<?> each) {
                    items.addAll(each);
                } else if (read != null) {
                    items.add(read);
                }
            } catch (RuntimeException notJson) {
                return new Relationship(true, null);
            }
        }
        if (items.isEmpty()) {
            return insured ? new Relationship(true, null) : Relationship.NONE;
        }
        LocalDate last = null;
        for (Object item : items) {
            Optional<LocalDate> end = item instanceof Map<?, ?> map ? end(map) : Optional.empty();
            if (end.isEmpty() || !end.get().isBefore(today)) {
                return new Relationship(true, null);
            }
            last = last == null || end.get().isAfter(last) ? end.get() : last;
        }
        return new Relationship(false, last);
    }

    /** As {@link #relationship(boolean, List, LocalDate)} with one list of policies. */
    public static Relationship relationship(boolean insured, String policies, LocalDate today) {
        return relationship(insured, java.util.Arrays.asList(policies), today);
    }

    private static Optional<LocalDate> end(Map<?, ?> policy) {
        for (String key : END_KEYS) {
            Object value = policy.get(key);
            if (value != null) {
                return Dates.parseTime(value.toString().strip(), ZoneId.systemDefault()).map(t -> t.toLocalDate());
            }
        }
        return Optional.empty();
    }

    /** The rule that keeps the data of a customer with this relationship longest, if one still does on {@code today}. */
    public Optional<Hold> holds(Relationship relationship, LocalDate today) {
        if (!relationship.exists() || rules.isEmpty()) {
            return Optional.empty();
        }
        if (relationship.ongoing()) {
            Rule longest = rules.stream().max(java.util.Comparator.comparingInt(Rule::years)).orElseThrow();
            return Optional.of(new Hold(longest, null, relationship));
        }
        return rules.stream().map(rule -> new Hold(rule, relationship.ended().plusYears(rule.years()), relationship))
                .filter(hold -> !hold.until().isBefore(today))
                .max(java.util.Comparator.comparing(Hold::until));
    }
}
