package cim.core.codes;

import cim.core.CimException;
import cim.core.CustomerType;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.CustomerRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.SearchKey;
import cim.core.validate.Normalizer;
import cim.core.validate.ResidentId;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.CROWDED_KEY;
import static cim.core.db.schema.Tables.CUSTOMER;
import static cim.core.db.schema.Tables.CUSTOMER_LINK;
import static cim.core.db.schema.Tables.MATCH_KEY;

/**
 * Finds customers by an identifier ({@code cim codes find}): its blind index, after the normalisation every stored
 * value had, looked up in the golden records and among the matcher's blocking keys of every linked record, so that
 * a 15-digit ID, a {@code +86} mobile or full-width digits find the same customer, and so does a second mobile one
 * channel holds.
 * By name (and a person's birth date) through the matcher's blocking keys, the names then compared exactly. Every
 * lookup is audited with the customers it found, naming the field, never the value. Erased customers hold nothing
 * and are not found.
 */
public final class CustomerSearch {
    /** The identifiers a customer is found by. */
    public static final List<CustomerField> IDENTIFIERS = List.of(CustomerField.ID_NUMBER, CustomerField.MOBILE,
            CustomerField.EMAIL, CustomerField.USCC);

    private final DSLContext dsl;
    private final AuditTrail audit;
    private final FieldProtector protector;

    public CustomerSearch(DSLContext dsl, AuditTrail audit, FieldProtector protector) {
        Profiles.require(dsl, "finding a customer", Profiles.Profile.READER, Profiles.Profile.IMPORTER,
                Profiles.Profile.STEWARD, Profiles.Profile.ADMIN);
        this.dsl = dsl;
        this.audit = audit;
        this.protector = protector;
    }

    /**
     * What a lookup found; {@code complete} false when the value is shared by so many customers' records that the
     * matcher stopped keeping it as a blocking key (a crowded key, e.g. an agent's phone): the customers whose golden
     * record holds it are found, others that hold it in a channel record may not be.
     */
    public record Result(List<Found> customers, boolean complete) { }

    /** A customer found: its golden name opened (null if it has none or it does not open), for the caller to mask. */
    public record Found(String code, String name, boolean organisation, String status, String channels,
                        boolean restricted) { }

    /**
     * The customers holding this value of an identifier, by code: the golden records' blind index, and the matcher's
     * blocking keys, which every valid identifier of every linked record has (so a second mobile one channel holds
     * finds its customer too). Both are indexed lookups; the channel records' own blind-index columns are not indexed
     * (imports would pay for it), so they are not searched.
     */
    public Result byIdentifier(CustomerField field, String value) {
        if (!IDENTIFIERS.contains(field)) {
            throw new IllegalArgumentException("not an identifier customers are found by: " + field);
        }
        String canonical = SearchKey.canonical(field, value);
        Field<String> golden = CUSTOMER.field(field.blindIndexColumn().orElseThrow(), String.class);
        Set<String> codes = new LinkedHashSet<>(dsl.select(CUSTOMER.CODE).from(CUSTOMER)
                .where(golden.eq(protector.blindIndex(field, value)).and(CUSTOMER.MERGED_INTO.isNull()))
                .fetch(CUSTOMER.CODE));
        List<Long> keys = BlockingKey.searchedBy(field).stream()
                .filter(kind -> field != CustomerField.ID_NUMBER || canonical.length() == 18)
                .map(kind -> protector.keyedBits(MatchKeys.CONTEXT, kind.canonical(canonical))).toList();
        boolean complete = true;
        if (!keys.isEmpty()) {
            codes.addAll(dsl.selectDistinct(MATCH_KEY.CUSTOMER_CODE).from(MATCH_KEY).where(MATCH_KEY.MATCH_KEY_.in(keys))
                    .fetch(MATCH_KEY.CUSTOMER_CODE));
            complete = !dsl.fetchExists(CROWDED_KEY, CROWDED_KEY.MATCH_KEY.in(keys));
        }
        return new Result(found(codes, field.column()), complete);
    }

    /**
     * The customers of this name: a person's with this birth date (required: a name alone is shared by too many),
     * an organisation's by name alone. A name too common to look up this way (a crowded key) is a usage error.
     */
    public Result byName(String name, String birthDate, boolean organisation) {
        String text = Normalizer.text(name);
        String wanted = text == null ? null : organisation ? ChineseName.cleanOrganisation(text)
                : ChineseName.clean(text);
        String birth = Normalizer.date(birthDate);
        if (wanted == null) {
            throw new CimException(Failure.INPUT, "the name read from standard input is empty", "give the name on "
                    + "standard input");
        }
        if (!organisation && birth == null) {
            throw new CimException(Failure.USAGE, "finding a person by name needs the birth date too",
                    "add --birth-date - and give the date on the line after the name (or find by an identifier)");
        }
        String sound = ChineseName.sound(wanted);
        long key = protector.keyedBits(MatchKeys.CONTEXT, organisation ? BlockingKey.ORG_NAME.canonical(sound)
                : BlockingKey.PERSON_NAME_BIRTH.canonical(sound + "|" + birth));
        if (dsl.fetchExists(CROWDED_KEY, CROWDED_KEY.MATCH_KEY.eq(key))) {
            throw new CimException(Failure.USAGE, "that name" + (organisation ? "" : " and birth date")
                    + " are shared by too many customers to look up this way", "find the customer by an identifier "
                    + "(--id-number -, --mobile -, --email -, --uscc -)");
        }
        Set<String> candidates = new LinkedHashSet<>(dsl.selectDistinct(MATCH_KEY.CUSTOMER_CODE).from(MATCH_KEY)
                .where(MATCH_KEY.MATCH_KEY_.eq(key)).fetch(MATCH_KEY.CUSTOMER_CODE));
        Set<String> codes = new LinkedHashSet<>();
        for (String code : candidates) {
            CustomerRecord customer = dsl.selectFrom(CUSTOMER).where(CUSTOMER.CODE.eq(code)).fetchOne();
            if (customer != null && wanted.equals(cleaned(open(customer, CustomerField.NAME), organisation))
                    && (organisation || birth.equals(birthDate(customer)))) {
                codes.add(code);
            }
        }
        return new Result(found(codes, organisation ? "name" : "name,birth_date"), true);
    }

    private List<Found> found(Set<String> codes, String field) {
        List<Found> found = new ArrayList<>();
        for (String code : codes) {
            CustomerRecord customer = dsl.selectFrom(CUSTOMER).where(CUSTOMER.CODE.eq(code)).fetchOne();
            if (customer == null || customer.getMergedInto() != null || customer.getErasedAt() != null) {
                continue;
            }
            found.add(new Found(code, open(customer, CustomerField.NAME), CustomerType.of(customer.getCustomerType()).organisation(),
                    customer.getStatus(), customer.getChannels(), customer.getRestrictedAt() != null));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("field", field);
        detail.put("found", found.size());
        dsl.transaction(tx -> audit.append(tx.dsl(), AuditEntry.of("codes.find").rows(found.size())
                .subjects(found.stream().map(Found::code).toList()).detail(detail)));
        return found;
    }

    private static String cleaned(String name, boolean organisation) {
        return name == null ? null : organisation ? ChineseName.cleanOrganisation(name) : ChineseName.clean(name);
    }

    /** A person's birth date: as recorded, or as a valid resident ID number gives it (as the matcher takes it). */
    private String birthDate(CustomerRecord customer) {
        String recorded = Normalizer.date(open(customer, CustomerField.BIRTH_DATE));
        if (recorded != null) {
            return recorded;
        }
        String id = open(customer, CustomerField.ID_NUMBER);
        return id != null && ResidentId.check(id, java.time.LocalDate.now()).isEmpty()
                ? ResidentId.birthDate(id).toString() : null;
    }

    /** A golden value opened against the customer's current records; null if absent or it does not open. */
    private String open(CustomerRecord customer, CustomerField field) {
        List<String> linked = dsl.select(CUSTOMER_LINK.SOURCE_SYSTEM, CUSTOMER_LINK.SOURCE_KEY).from(CUSTOMER_LINK)
                .where(CUSTOMER_LINK.CUSTOMER_CODE.eq(customer.getCode()).and(CUSTOMER_LINK.VALID_TO.isNull()))
                .fetch(r -> FieldProtector.row(r.value1(), r.value2()));
        try {
            return protector.open(field, FieldProtector.goldenRows(customer.getProvenance(), customer.getCode(),
                    linked).apply(field), customer.get(field.column(), String.class));
        } catch (FieldProtector.Unreadable e) {
            return null;
        }
    }
}
