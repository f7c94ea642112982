package cim.core.protect;

import cim.core.CimException;
import cim.core.Failure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every field of customer information that the tier registry classifies. Each is a column of the same name in
 * source_record and customer; a searchable one also has a {@code <name>_bidx} blind-index column.
 * Its category, origin, tier and masking rule live in the database ({@link TierRegistry}), never here.
 */
public enum CustomerField {
    ID_NUMBER(true), USCC(true), ORG_CODE(true), BUSINESS_LICENCE(true), ACCOUNTS(false),
    MOBILE(true), PHONE(true), EMAIL(true), WECHAT(true), QQ(true), CREDIT_RATING(false),
    NAME(false), GENDER(false), BIRTH_DATE(false), ADDRESS(false), POSTAL_CODE(false), CONTACT_PERSON(false),
    RELATIONS(false), POLICIES(false), CLAIMS(false), ASSETS(false),
    ID_TYPE(false), INDUSTRY(false), ENTERPRISE_TYPE(false), ENTERPRISE_SIZE(false),
    TOUCHPOINTS(false), PREFERENCES(false), ASSESSMENT(false);

    private final boolean searchable;
    private final String column;
    private final Optional<String> blindIndexColumn;

    CustomerField(boolean searchable) {
        this.searchable = searchable;
        this.column = name().toLowerCase(Locale.ROOT);
        this.blindIndexColumn = searchable ? Optional.of(column + "_bidx") : Optional.empty();
    }

    /** The column (and registry) name: {@code id_number}. */
    public String column() {
        return column;
    }

    /** The blind-index column, for fields found or matched by exact value while encrypted. */
    public Optional<String> blindIndexColumn() {
        return blindIndexColumn;
    }

    public boolean searchable() {
        return searchable;
    }

    /** Every column that stores field values, in declaration order: each field, then its blind index if any. */
    public static final List<String> STORED_COLUMNS = Arrays.stream(values())
            .flatMap(f -> Stream.concat(Stream.of(f.column()), f.blindIndexColumn().stream()))
            .toList();

    public static Optional<CustomerField> find(String name) {
        return Arrays.stream(values()).filter(f -> f.column().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** The field of that name, or a usage error listing the valid names. */
    public static CustomerField parse(String name) {
        return find(name).orElseThrow(() -> new CimException(Failure.USAGE, "unknown field '" + name + "'",
                "use one of: " + Arrays.stream(values()).map(CustomerField::column).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return column();
    }
}
