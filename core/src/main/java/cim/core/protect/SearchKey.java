package cim.core.protect;

import cim.core.validate.Normalizer;

import java.util.Objects;

/**
 * The canonical form of a value for its blind index: the same normalisation every stored value goes through, so
 * that an identifier written another way (full-width digits, blanks, a lower-case check letter, a mobile with or
 * without +86, a 15-digit legacy ID) finds the same records.
 */
public final class SearchKey {
    private SearchKey() {
    }

    public static String canonical(CustomerField field, String value) {
        String canonical = switch (field) {
            case ID_NUMBER -> Normalizer.idNumber(value);
            case USCC, ORG_CODE, BUSINESS_LICENCE -> Normalizer.code(value);
            case EMAIL -> Normalizer.email(value);
            case MOBILE, PHONE -> Normalizer.phone(value);
            default -> Normalizer.text(value);
        };
        return Objects.requireNonNullElse(canonical, "");
    }
}
