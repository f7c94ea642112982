package cim.core.codes;

import cim.core.CustomerType;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The catalogue of the matcher's scored comparisons: each entry names the field it explains, the customer types it
 * applies to, the values it reads and its outcomes, each a weight (log-odds in spirit: what agreement says for "same
 * customer", what disagreement says against) and the finding shown for it. {@link Comparison} sums the outcomes of
 * the entries for the pair's type, in this order. An entry is a plain function of two records' normalised values
 * (no keys, no database), so that any engine runs it unchanged. Adding a comparison is adding an entry here.
 */
public enum Comparator {
    ID_NUMBER(Set.of(CustomerType.PERSON), "id_number", "ID numbers that are not both valid (two valid ones decide "
            + "by themselves): the same number, or the same but for the check character, corroborates") {
        private static final Outcome SAME = Outcome.corroborating("same number (not valid)", 6.0);
        private static final Outcome CHECK_CHARACTER = Outcome.corroborating(
                "same number but for the check character (one is invalid)", 5.0);
        private static final Outcome DIFFERENT = Outcome.weighing("different numbers", -2.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            String one = a.idNumber().value();
            String other = b.idNumber().value();
            if (one == null || other == null) {
                return null;
            }
            if (one.equals(other)) {
                return SAME;
            }
            return one.length() == 18 && other.length() == 18 && one.regionMatches(0, other, 0, 17)
                    ? CHECK_CHARACTER : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, CHECK_CHARACTER, DIFFERENT);
        }
    },
    PERSON_NAME(Set.of(CustomerType.PERSON), "name", "person names by characters and by sound; another given name "
            + "under the same surname (a family member) weighs against as much as a shared phone and address for") {
        private static final Map<ChineseName.Agreement, Outcome> OUTCOMES = nameOutcomes(4.0, 3.0, 1.0, -5.0, -7.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.name() == null || b.name() == null ? null
                    : OUTCOMES.get(ChineseName.comparePersons(a.name(), b.name()));
        }

        @Override
        public List<Outcome> outcomes() {
            return List.copyOf(OUTCOMES.values());
        }
    },
    ORGANISATION_NAME(Set.of(CustomerType.ORG), "name", "organisation names without their legal form (有限公司 …), "
            + "by characters and by sound") {
        private static final Map<ChineseName.Agreement, Outcome> OUTCOMES = nameOutcomes(5.0, 4.0, 2.0, -6.0, -6.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.name() == null || b.name() == null ? null
                    : OUTCOMES.get(ChineseName.compareOrganisations(a.name(), b.name()));
        }

        @Override
        public List<Outcome> outcomes() {
            return List.copyOf(OUTCOMES.values());
        }
    },
    BIRTH_DATE(Set.of(CustomerType.PERSON), "birth_date", "birth dates (read from a valid resident ID when missing)") {
        private static final Outcome SAME = Outcome.weighing("same", 3.5);
        private static final Outcome DIFFERENT = Outcome.weighing("different", -4.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.birthDate() == null || b.birthDate() == null ? null
                    : a.birthDate().equals(b.birthDate()) ? SAME : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, DIFFERENT);
        }
    },
    GENDER(Set.of(CustomerType.PERSON), "gender", "genders (read from a valid resident ID when missing)") {
        private static final Outcome SAME = Outcome.weighing("same", 0.5);
        private static final Outcome DIFFERENT = Outcome.weighing("different", -4.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.gender() == null || b.gender() == null ? null : a.gender().equals(b.gender()) ? SAME : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, DIFFERENT);
        }
    },
    MOBILE(Set.of(CustomerType.PERSON, CustomerType.ORG), "mobile", "mobile numbers; the same one corroborates") {
        private static final Outcome SAME = Outcome.corroborating("same", 3.0);
        private static final Outcome DIFFERENT = Outcome.weighing("different", -0.5);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.mobile() == null || b.mobile() == null ? null : a.mobile().equals(b.mobile()) ? SAME : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, DIFFERENT);
        }
    },
    PHONE(Set.of(CustomerType.PERSON, CustomerType.ORG), "phone", "landline numbers: the same one corroborates, a "
            + "different one says nothing (a household or switchboard has several)") {
        private static final Outcome SAME = Outcome.corroborating("same", 1.5);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.phone() != null && b.phone() != null && a.phone().equals(b.phone()) ? SAME : null;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME);
        }
    },
    EMAIL(Set.of(CustomerType.PERSON, CustomerType.ORG), "email", "e-mail addresses: the same one corroborates, a "
            + "different one weighs nothing (people have several)") {
        private static final Outcome SAME = Outcome.corroborating("same", 4.0);
        private static final Outcome DIFFERENT = Outcome.weighing("different", 0.0);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            return a.email() == null || b.email() == null ? null : a.email().equals(b.email()) ? SAME : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, DIFFERENT);
        }
    },
    ADDRESS(Set.of(CustomerType.PERSON, CustomerType.ORG), "address", "addresses: the same one, or one the other "
            + "without its city or house number, corroborates; the same district weighs a little") {
        private static final Outcome SAME = Outcome.corroborating("same", 1.5);
        private static final Outcome ABBREVIATED = Outcome.corroborating("same, one abbreviated", 1.0);
        private static final Outcome SAME_DISTRICT = Outcome.weighing("same district", 0.5);
        private static final Outcome DIFFERENT = Outcome.weighing("different", -0.5);

        @Override
        Outcome compare(MatchValues a, MatchValues b) {
            if (a.address() == null || b.address() == null) {
                return null;
            }
            if (a.address().equals(b.address())) {
                return SAME;
            }
            if (abbreviated(a.address(), b.address())) {
                return ABBREVIATED;
            }
            return a.district() != null && Objects.equals(a.district(), b.district()) ? SAME_DISTRICT : DIFFERENT;
        }

        @Override
        public List<Outcome> outcomes() {
            return List.of(SAME, ABBREVIATED, SAME_DISTRICT, DIFFERENT);
        }
    };

    /**
     * One outcome of a comparison: the finding shown, its weight, and whether it corroborates (an identifier,
     * contact or address that agrees outright: without one, a person pair scores at most
     * {@link Comparison#UNCORROBORATED_CAP}).
     */
    public record Outcome(String finding, double weight, boolean corroborates) {
        static Outcome corroborating(String finding, double weight) {
            return new Outcome(finding, weight, true);
        }

        static Outcome weighing(String finding, double weight) {
            return new Outcome(finding, weight, false);
        }

        /** The explanation's text: the finding and its signed weight ("same (+3.0)"). */
        String explained() {
            return finding + " (" + (weight >= 0 ? "+" : "") + weight + ")";
        }
    }

    private final Set<CustomerType> types;
    private final String field;
    private final String description;

    Comparator(Set<CustomerType> types, String field, String description) {
        this.types = types;
        this.field = field;
        this.description = description;
    }

    /** The outcome for the pair, or null when the comparison does not apply (a value is missing). */
    abstract Outcome compare(MatchValues a, MatchValues b);

    /** Every outcome it can give, for the documentation. */
    public abstract List<Outcome> outcomes();

    /** The key of its finding in a link's explanation. */
    public String field() {
        return field;
    }

    public String description() {
        return description;
    }

    public boolean appliesTo(CustomerType type) {
        return types.contains(type);
    }

    /** A name comparator's outcomes, by agreement: exact, sound-alike, similar, another given name, different. */
    private static Map<ChineseName.Agreement, Outcome> nameOutcomes(double exact, double soundAlike, double similar,
                                                                    double otherGivenName, double different) {
        Map<ChineseName.Agreement, Outcome> outcomes = new EnumMap<>(ChineseName.Agreement.class);
        outcomes.put(ChineseName.Agreement.EXACT, name(ChineseName.Agreement.EXACT, exact));
        outcomes.put(ChineseName.Agreement.SOUND_ALIKE, name(ChineseName.Agreement.SOUND_ALIKE, soundAlike));
        outcomes.put(ChineseName.Agreement.SIMILAR, name(ChineseName.Agreement.SIMILAR, similar));
        outcomes.put(ChineseName.Agreement.OTHER_GIVEN_NAME, name(ChineseName.Agreement.OTHER_GIVEN_NAME,
                otherGivenName));
        outcomes.put(ChineseName.Agreement.DIFFERENT, name(ChineseName.Agreement.DIFFERENT, different));
        return outcomes;
    }

    private static Outcome name(ChineseName.Agreement agreement, double weight) {
        return Outcome.weighing(ChineseName.describe(agreement), weight);
    }

    /** One address is the other without its city or house number (中山路 in 北京市朝阳区中山路12号). */
    private static boolean abbreviated(String a, String b) {
        String shorter = a.length() < b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return shorter.length() >= 5 && longer.contains(shorter);
    }
}
