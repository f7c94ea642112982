package cim.core.quality;

import cim.core.CustomerStatus;
import cim.core.codes.PendingRecords;
import cim.core.protect.CustomerField;
import cim.core.validate.Contacts;
import cim.core.validate.CreditCode;
import cim.core.validate.Dates;
import cim.core.validate.Normalizer;
import cim.core.validate.OrganisationCode;
import cim.core.validate.Problem;
import cim.core.validate.ResidentId;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static cim.core.protect.CustomerField.ADDRESS;
import static cim.core.protect.CustomerField.BIRTH_DATE;
import static cim.core.protect.CustomerField.BUSINESS_LICENCE;
import static cim.core.protect.CustomerField.CONTACT_PERSON;
import static cim.core.protect.CustomerField.EMAIL;
import static cim.core.protect.CustomerField.GENDER;
import static cim.core.protect.CustomerField.ID_NUMBER;
import static cim.core.protect.CustomerField.ID_TYPE;
import static cim.core.protect.CustomerField.MOBILE;
import static cim.core.protect.CustomerField.NAME;
import static cim.core.protect.CustomerField.ORG_CODE;
import static cim.core.protect.CustomerField.PHONE;
import static cim.core.protect.CustomerField.POLICIES;
import static cim.core.protect.CustomerField.POSTAL_CODE;
import static cim.core.protect.CustomerField.QQ;
import static cim.core.protect.CustomerField.USCC;
import static cim.core.protect.CustomerField.WECHAT;

/**
 * The built-in rules: completeness of what each customer type must have (Art. 7 basic and contact data), validity
 * of every identifier with the validators' reasons, consistency across fields, uniqueness of identifiers across
 * customers, and timeliness. Each has a default severity and threshold that a rules file can override.
 */
public final class Catalogue {
    /** A record not updated for this many days fails the timeliness rule, unless a rules file says otherwise. */
    public static final int STALE_AFTER_DAYS = 730;
    /** Postal codes begin with the province's digits (GB/T 2260 regions to postal zones). */
    private static final Map<String, Set<String>> POSTAL_ZONES = Map.ofEntries(
            Map.entry("北京", Set.of("10")), Map.entry("上海", Set.of("20")), Map.entry("天津", Set.of("30")),
            Map.entry("重庆", Set.of("40")), Map.entry("内蒙", Set.of("01", "02")), Map.entry("山西", Set.of("03", "04")),
            Map.entry("河北", Set.of("05", "06", "07")), Map.entry("辽宁", Set.of("11", "12")),
            Map.entry("吉林", Set.of("13")), Map.entry("黑龙", Set.of("15", "16")), Map.entry("江苏", Set.of("21", "22")),
            Map.entry("安徽", Set.of("23", "24")), Map.entry("山东", Set.of("25", "26", "27")),
            Map.entry("浙江", Set.of("31", "32")), Map.entry("江西", Set.of("33", "34")),
            Map.entry("福建", Set.of("35", "36")), Map.entry("湖南", Set.of("41", "42")),
            Map.entry("湖北", Set.of("43", "44")), Map.entry("河南", Set.of("45", "46", "47")),
            Map.entry("广东", Set.of("51", "52")), Map.entry("广西", Set.of("53", "54")),
            Map.entry("贵州", Set.of("55", "56")), Map.entry("海南", Set.of("57")),
            Map.entry("四川", Set.of("61", "62", "63", "64")), Map.entry("云南", Set.of("65", "66", "67")),
            Map.entry("陕西", Set.of("71", "72")), Map.entry("甘肃", Set.of("73", "74")), Map.entry("宁夏", Set.of("75")),
            Map.entry("青海", Set.of("81")), Map.entry("新疆", Set.of("83", "84")), Map.entry("西藏", Set.of("85", "86")));

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final Predicate<QualityRecord> PERSON = r -> !r.organisation();
    private static final Predicate<QualityRecord> ORG = QualityRecord::organisation;

    private Catalogue() {
    }

    /** Every built-in rule with its defaults. */
    public static List<Rule> builtIn() {
        List<Rule> rules = new ArrayList<>();
        Threshold none = Threshold.NONE;
        Threshold onePercent = new Threshold(1, true);

        rules.add(rule("person.name.present", Dimension.COMPLETENESS, NAME, Severity.FAIL, none,
                "a person has a name", PERSON, missing(NAME)));
        rules.add(rule("person.id_number.present", Dimension.COMPLETENESS, ID_NUMBER, Severity.WARN,
                new Threshold(30, true), "a person has an ID number (prospects may not yet)", PERSON, missing(ID_NUMBER)));
        rules.add(rule("person.contact.present", Dimension.COMPLETENESS, MOBILE, Severity.WARN, new Threshold(5, true),
                "a person can be reached: mobile, phone, e-mail, WeChat or QQ", PERSON,
                (r, c) -> anyOf(r, MOBILE, PHONE, EMAIL, WECHAT, QQ) ? null : "no mobile, phone, e-mail, WeChat or QQ"));
        rules.add(rule("person.address.present", Dimension.COMPLETENESS, ADDRESS, Severity.WARN, new Threshold(30, true),
                "a person has a mailing address", PERSON, missing(ADDRESS)));
        rules.add(rule("org.name.present", Dimension.COMPLETENESS, NAME, Severity.FAIL, none,
                "an organisation has a name", ORG, missing(NAME)));
        rules.add(rule("org.credit_code.present", Dimension.COMPLETENESS, USCC, Severity.WARN, new Threshold(5, true),
                "an organisation has a credit code, organisation code or business-licence number", ORG,
                (r, c) -> anyOf(r, USCC, ORG_CODE, BUSINESS_LICENCE) ? null : "no credit code, organisation code or licence"));
        rules.add(rule("org.contact.present", Dimension.COMPLETENESS, PHONE, Severity.WARN, new Threshold(10, true),
                "an organisation has a contact: person, phone, mobile or e-mail", ORG,
                (r, c) -> anyOf(r, CONTACT_PERSON, PHONE, MOBILE, EMAIL) ? null : "no contact person, phone or e-mail"));

        rules.add(rule("person.id_number.checksum", Dimension.VALIDITY, ID_NUMBER, Severity.FAIL, onePercent,
                "a resident ID number is valid (GB 11643: length, region, birth date, check character)",
                r -> PERSON.test(r) && r.has(ID_NUMBER) && ResidentId.isResidentIdType(r.get(ID_TYPE)),
                (r, c) -> reason(r.residentIdProblem(c.today()))));
        rules.add(rule("person.birth_date.valid", Dimension.VALIDITY, BIRTH_DATE, Severity.FAIL, onePercent,
                "a birth date is a real date, not in the future", r -> r.has(BIRTH_DATE),
                (r, c) -> reason(Dates.checkBirthDate(r.get(BIRTH_DATE), c.today()))));
        rules.add(rule("org.uscc.checksum", Dimension.VALIDITY, USCC, Severity.FAIL, onePercent,
                "a unified social credit code is valid (GB 32100, with its GB 11714 organisation code)",
                r -> r.has(USCC), (r, c) -> reason(CreditCode.check(r.get(USCC)))));
        rules.add(rule("org.org_code.checksum", Dimension.VALIDITY, ORG_CODE, Severity.FAIL, onePercent,
                "an organisation code is valid (GB 11714)", r -> r.has(ORG_CODE),
                (r, c) -> reason(OrganisationCode.check(r.get(ORG_CODE)))));
        rules.add(rule("contact.mobile.valid", Dimension.VALIDITY, MOBILE, Severity.FAIL, onePercent,
                "a mobile number is a valid mobile number", r -> r.has(MOBILE),
                (r, c) -> reason(Contacts.checkMobile(r.get(MOBILE)))));
        rules.add(rule("contact.phone.valid", Dimension.VALIDITY, PHONE, Severity.FAIL, onePercent,
                "a landline number is a valid number", r -> r.has(PHONE),
                (r, c) -> reason(Contacts.checkLandline(r.get(PHONE)))));
        rules.add(rule("contact.email.valid", Dimension.VALIDITY, EMAIL, Severity.FAIL, onePercent,
                "an e-mail address is well formed", r -> r.has(EMAIL),
                (r, c) -> reason(Contacts.checkEmail(r.get(EMAIL)))));
        rules.add(rule("contact.postal_code.valid", Dimension.VALIDITY, POSTAL_CODE, Severity.FAIL, onePercent,
                "a postal code has six digits", r -> r.has(POSTAL_CODE),
                (r, c) -> reason(Contacts.checkPostalCode(r.get(POSTAL_CODE)))));
        rules.add(rule("financial.card_number.valid", Dimension.VALIDITY, cim.core.protect.CustomerField.ACCOUNTS,
                Severity.FAIL, onePercent, "a bank card number passes the Luhn check",
                r -> r.has(cim.core.protect.CustomerField.ACCOUNTS),
                (r, c) -> reason(Contacts.checkAccounts(r.get(cim.core.protect.CustomerField.ACCOUNTS),
                        r.organisation()))));

        rules.add(rule("person.gender.matches_id", Dimension.CONSISTENCY, GENDER, Severity.FAIL, onePercent,
                "the gender agrees with the ID number's sequence digit",
                r -> PERSON.test(r) && r.has(GENDER) && validResidentId(r, LocalDate.now()),
                (r, c) -> {
                    String given = Normalizer.gender(r.get(GENDER));
                    String byId = ResidentId.gender(r.get(ID_NUMBER));
                    return given == null || given.equals(byId) ? null
                            : "gender does not agree with the ID number's sequence digit";
                }));
        rules.add(rule("person.birth_date.matches_id", Dimension.CONSISTENCY, BIRTH_DATE, Severity.FAIL, onePercent,
                "the birth date agrees with the one in the ID number",
                r -> PERSON.test(r) && r.has(BIRTH_DATE) && validResidentId(r, LocalDate.now()),
                (r, c) -> {
                    Optional<LocalDate> given = Dates.parse(r.get(BIRTH_DATE));
                    LocalDate byId = ResidentId.birthDate(r.get(ID_NUMBER));
                    return given.isEmpty() || given.get().equals(byId) ? null
                            : "birth date differs from the one in the ID number";
                }));
        rules.add(rule("person.id_type.matches_number", Dimension.CONSISTENCY, ID_TYPE, Severity.WARN, onePercent,
                "a resident-ID type has a number of that form, and a valid resident ID number is not typed otherwise",
                r -> PERSON.test(r) && r.has(ID_NUMBER) && r.has(ID_TYPE),
                (r, c) -> {
                    boolean residentType = ResidentId.isResidentIdType(r.get(ID_TYPE));
                    boolean residentForm = isResidentForm(r.get(ID_NUMBER));
                    if (residentType && !residentForm) {
                        return "a resident-ID type, but the number is not 15 or 18 digits";
                    }
                    return !residentType && r.residentIdProblem(c.today()).isEmpty()
                            ? "another ID type, but the number is a valid resident ID number" : null;
                }));
        rules.add(rule("contact.postal_code.matches_region", Dimension.CONSISTENCY, POSTAL_CODE, Severity.WARN,
                onePercent, "the postal code belongs to the province of the address",
                r -> r.has(POSTAL_CODE) && SIX_DIGITS.matcher(r.get(POSTAL_CODE)).matches() && zones(r) != null,
                (r, c) -> zones(r).contains(r.get(POSTAL_CODE).substring(0, 2)) ? null
                        : "the postal code is not in the province of the address"));
        rules.add(rule("org.org_code.in_uscc", Dimension.CONSISTENCY, ORG_CODE, Severity.FAIL, onePercent,
                "an organisation code given with a credit code is the one inside it",
                r -> r.has(ORG_CODE) && r.has(USCC) && r.get(USCC).length() == 18,
                (r, c) -> r.get(ORG_CODE).equals(CreditCode.organisationCode(r.get(USCC))) ? null
                        : "organisation code differs from the one inside the credit code"));

        rules.add(rule("person.id_number.unique", Dimension.UNIQUENESS, ID_NUMBER, Severity.FAIL, none,
                "one valid ID number belongs to one customer code",
                r -> PERSON.test(r) && r.blindIndexes().get(ID_NUMBER) != null && validResidentId(r, LocalDate.now()),
                (r, c) -> shared(r, c, ID_NUMBER) ? "the same ID number belongs to another customer code" : null));
        rules.add(rule("org.uscc.unique", Dimension.UNIQUENESS, USCC, Severity.FAIL, none,
                "one valid credit code belongs to one customer code",
                r -> r.blindIndexes().get(USCC) != null && r.has(USCC) && CreditCode.check(r.get(USCC)).isEmpty(),
                (r, c) -> shared(r, c, USCC) ? "the same credit code belongs to another customer code" : null));

        rules.add(rule("record.admitted", Dimension.COMPLETENESS, null, Severity.WARN, new Threshold(5, true),
                "a channel record passes the policy's admission rules and has a customer code (source scope)",
                r -> r.channel() != null,
                (r, c) -> c.refused().contains(PendingRecords.key(r.channel(), r.key()))
                        ? "refused a code by the admission rules (see 'cim codes pending')" : null));
        // a count more than a check: cleansing corrects, and this says how much (never breached)
        rules.add(rule("record.cleansed", Dimension.VALIDITY, null, Severity.WARN, new Threshold(100, true),
                "a channel record needed no cleansing on import (counts the records whose values the policy's "
                        + "cleansing rules corrected; source scope)", r -> r.channel() != null,
                (r, c) -> r.cleansed() ? "corrected on import (see 'cim codes show': cleansed from)" : null));
        rules.add(rule("record.stale", Dimension.TIMELINESS, null, Severity.WARN, new Threshold(50, true),
                "a record was updated within the stale period (params: stale_after_days, default " + STALE_AFTER_DAYS + ")",
                r -> r.changedAt() != null,
                (r, c) -> r.changedAt().toLocalDate().isBefore(c.today().minusDays(c.staleAfterDays()))
                        ? "not updated since " + r.changedAt().toLocalDate() : null));
        rules.add(rule("customer.insured.policy", Dimension.TIMELINESS, POLICIES, Severity.WARN,
                new Threshold(10, true), "an INSURED customer has a policy on record", r -> CustomerStatus.of(r.status()) == CustomerStatus.INSURED,
                (r, c) -> r.has(POLICIES) && !r.get(POLICIES).strip().equals("[]") ? null
                        : "INSURED without a policy on record"));
        return rules;
    }

    /** The uniqueness rules need other customers: they run on golden records only. */
    public static boolean customerScopeOnly(Rule rule) {
        return rule.dimension() == Dimension.UNIQUENESS;
    }

    /** Whether a rule is about channel records only: golden records are all admitted. */
    public static boolean sourceScopeOnly(Rule rule) {
        return rule.id().equals("record.admitted") || rule.id().equals("record.cleansed");
    }

    private static Rule rule(String id, Dimension dimension, CustomerField field, Severity severity,
                             Threshold threshold, String description, Predicate<QualityRecord> applies,
                             Rule.Check check) {
        return new Rule(id, dimension, field, severity, threshold, description, applies, check, Set.of(), Set.of(),
                false);
    }

    private static Rule.Check missing(CustomerField field) {
        return (r, c) -> r.has(field) ? null : "no " + field.column();
    }

    private static boolean anyOf(QualityRecord r, CustomerField... fields) {
        for (CustomerField f : fields) {
            if (r.has(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an ID number has the form of a resident ID number, new or legacy: 17 ASCII digits and a digit or X, or
     * 15 digits; read without the regular expression it was (CatalogueTest keeps it as the reference).
     */
    static boolean isResidentForm(String id) {
        int digits = id.length() == 18 ? 17 : id.length() == 15 ? 15 : -1;
        if (digits < 0) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            if (!isAsciiDigit(id.charAt(i))) {
                return false;
            }
        }
        return digits == 15 || isAsciiDigit(id.charAt(17)) || id.charAt(17) == 'X';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String reason(Optional<Problem> problem) {
        return problem.map(Problem::toString).orElse(null);
    }

    private static boolean validResidentId(QualityRecord r, LocalDate today) {
        return r.has(ID_NUMBER) && r.validResidentId(today);
    }

    private static boolean shared(QualityRecord r, Rule.Context c, CustomerField field) {
        return c.shared().getOrDefault(field, Set.of()).contains(r.blindIndexes().get(field));
    }

    /** The postal zones of the address's province, or null when the address names none. */
    private static Set<String> zones(QualityRecord r) {
        String address = r.get(ADDRESS);
        return address == null || address.length() < 2 ? null : POSTAL_ZONES.get(address.strip().substring(0, 2));
    }
}
