package cim.core.validate;

import cim.core.protect.CustomerField;
import cim.core.json.Json;

import java.time.LocalDate;
import java.util.Optional;

/**
 * One field's value as every writer takes it: normalised (full-width forms, blanks, a {@code +86} mobile, a
 * 15-digit ID …) and validated, the reason of an invalid value kept. The importer checks each value of a row with
 * it (relations it checks further itself), and a steward's correction ({@code cim codes correct}) is checked the
 * same way.
 */
public final class FieldCheck {
    /** A value normalised (null: nothing left), and why it is invalid, if it is. */
    public record Checked(String value, Optional<Problem> problem) { }

    /** What a value is checked against besides itself: the record's ID type and customer type, and today. */
    public record Context(boolean residentId, boolean organisation, LocalDate today) { }

    private FieldCheck() {
    }

    /** The value normalised and validated; a phone's check comes with its own normalisation. */
    public static Checked checked(CustomerField field, String raw, Context context) {
        if (field == CustomerField.MOBILE || field == CustomerField.PHONE) {
            String text = Normalizer.text(raw);
            if (text == null) {
                return new Checked(null, Optional.empty());
            }
            Contacts.CheckedPhone phone = Contacts.checked(text, field == CustomerField.MOBILE);
            return new Checked(phone.value(), phone.problem());
        }
        String value = normalised(field, raw);
        return new Checked(value, value == null ? Optional.empty() : problem(field, value, context));
    }

    /** The normalised form of a value of any field but the phones (null: nothing left). */
    public static String normalised(CustomerField field, String raw) {
        return switch (field) {
            case ID_NUMBER -> Normalizer.idNumber(raw);
            case USCC, ORG_CODE, BUSINESS_LICENCE -> Normalizer.code(raw);
            case EMAIL -> Normalizer.email(raw);
            case BIRTH_DATE -> Normalizer.date(raw);
            default -> Normalizer.text(raw);
        };
    }

    /** Why a normalised value is invalid, if it is. */
    public static Optional<Problem> problem(CustomerField field, String value, Context context) {
        return switch (field) {
            case ID_NUMBER -> context.residentId() ? ResidentId.check(value, context.today()) : Optional.empty();
            case USCC -> CreditCode.check(value);
            case ORG_CODE -> OrganisationCode.check(value);
            case EMAIL -> Contacts.checkEmail(value);
            case POSTAL_CODE -> Contacts.checkPostalCode(value);
            case ACCOUNTS -> Contacts.checkAccounts(value, context.organisation());
            case BIRTH_DATE -> Dates.checkBirthDate(value, context.today());
            default -> Optional.empty();
        };
    }

    /**
     * Whether a value of a nested category (policies, preferences …) is JSON, an object or an array, as a steward's
     * correction must be (a channel's record keeps what it sent, flagged by the quality rules instead).
     */
    public static Optional<Problem> notJson(String value) {
        try {
            Object read = Json.MAPPER.readValue(value, Object.class);
            if (read instanceof java.util.Map<?, ?> || read instanceof java.util.List<?>) {
                return Optional.empty();
            }
        } catch (RuntimeException notJson) {
            // reported below
        }
        return Optional.of(Problem.of(Problem.Kind.FORMAT, "not a JSON object or array"));
    }
}
