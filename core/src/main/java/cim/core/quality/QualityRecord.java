package cim.core.quality;

import cim.core.CustomerStatus;
import cim.core.protect.CustomerField;
import cim.core.validate.Problem;
import cim.core.validate.ResidentId;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A record as the rules see it, golden or source: its key (the customer code, or the source key), its channel
 * (source records), type and status, its values, and when it last changed. Values are stored as they are in the
 * database and opened (tier-1 values decrypted, only in memory, only here) the first time a rule reads them, so
 * a rule that asks only whether a value is present never decrypts it.
 */
public final class QualityRecord {
    private final String key;
    private final String channel;
    private final String branch;
    private boolean cleansed;
    private final boolean organisation;
    private final String status;
    private final Map<CustomerField, String> stored;
    private final Map<CustomerField, String> blindIndexes;
    private final OffsetDateTime changedAt;
    private final BiFunction<CustomerField, String, String> opener;
    private final Map<CustomerField, String> opened = new EnumMap<>(CustomerField.class);
    private Boolean validResidentId;
    private LocalDate residentIdCheckedOn;
    private Optional<Problem> residentIdProblem;

    public QualityRecord(String key, String channel, String branch, boolean organisation, String status,
                         Map<CustomerField, String> stored, Map<CustomerField, String> blindIndexes,
                         OffsetDateTime changedAt, BiFunction<CustomerField, String, String> opener) {
        this.key = key;
        this.channel = channel;
        this.branch = branch;
        this.organisation = organisation;
        this.status = status;
        this.stored = stored;
        this.blindIndexes = blindIndexes;
        this.changedAt = changedAt;
        this.opener = opener;
    }

    /** For tests and custom checks: a record of clear values. */
    public static QualityRecord of(String key, boolean organisation, Map<CustomerField, String> values) {
        Map<CustomerField, String> copy = new EnumMap<>(CustomerField.class);
        copy.putAll(values);
        return new QualityRecord(key, null, null, organisation, CustomerStatus.POTENTIAL.name(), copy, Map.of(), OffsetDateTime.now(),
                (field, value) -> value);
    }

    public String key() {
        return key;
    }

    /** Whether the import's cleansing corrected any of the record's values (source scope). */
    public boolean cleansed() {
        return cleansed;
    }

    QualityRecord cleansed(boolean corrected) {
        this.cleansed = corrected;
        return this;
    }

    /** The branch that collected a source record ({@link QualityCheck#NO_BRANCH} when it names none). */
    public String branch() {
        return branch;
    }

    public String channel() {
        return channel;
    }

    public boolean organisation() {
        return organisation;
    }

    public String status() {
        return status;
    }

    public Map<CustomerField, String> blindIndexes() {
        return blindIndexes;
    }

    public OffsetDateTime changedAt() {
        return changedAt;
    }

    /** The clear value of a field, or null. */
    public String get(CustomerField field) {
        String value = stored.get(field);
        if (value == null) {
            return null;
        }
        return opened.computeIfAbsent(field, f -> opener.apply(f, value));
    }

    /** Whether the field has a value; a sealed value is not decrypted to tell. */
    public boolean has(CustomerField field) {
        String value = stored.get(field);
        return value != null && !value.isBlank();
    }

    /** Whether the record holds a valid GB 11643 number of a resident-ID type (computed once). */
    boolean validResidentId(LocalDate today) {
        if (validResidentId == null) {
            String id = get(CustomerField.ID_NUMBER);
            validResidentId = id != null && id.length() == 18 && ResidentId.isResidentIdType(get(CustomerField.ID_TYPE))
                    && id.charAt(0) != '9' && residentIdProblem(today).isEmpty();
        }
        return validResidentId;
    }

    /**
     * Why the record's ID number (which it must have) is no valid GB 11643 number, or empty when it is one: checked
     * once for a day, however many rules ask.
     */
    Optional<Problem> residentIdProblem(LocalDate today) {
        if (!today.equals(residentIdCheckedOn)) {
            residentIdProblem = ResidentId.check(get(CustomerField.ID_NUMBER), today);
            residentIdCheckedOn = today;
        }
        return residentIdProblem;
    }
}
