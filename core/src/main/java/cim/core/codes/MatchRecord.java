package cim.core.codes;

import cim.core.CustomerType;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.validate.CreditCode;
import cim.core.validate.Normalizer;
import cim.core.validate.ResidentId;

import java.io.Serializable;


/**
 * A source record as the matcher sees it: where it is stored, and its values opened (tier-1 values only in memory)
 * in the forms that compare, with what each is worth (an invalid identifier never links by itself). Birth date and
 * gender missing from the record are read from a valid resident ID.
 */
record MatchRecord(StoredRecord stored, MatchValues values) implements Serializable {

    long id() {
        return stored.id();
    }

    boolean organisation() {
        return values.organisation();
    }

    static MatchRecord of(SourceRecordRecord r, FieldProtector protector) {
        String issues = r.getIssues() == null ? "" : r.getIssues();
        CustomerType type = CustomerType.of(r.getCustomerType());
        String row = FieldProtector.row(r.getSourceSystem(), r.getSourceKey());
        String rawName = protector.open(CustomerField.NAME, row, r.getName());
        String name = type.organisation() ? ChineseName.cleanOrganisation(rawName) : ChineseName.clean(rawName);
        String id = protector.open(CustomerField.ID_NUMBER, row, r.getIdNumber());
        boolean idValid = id != null && !flagged(issues, CustomerField.ID_NUMBER) && id.length() == 18;
        String birth = valid(protector.open(CustomerField.BIRTH_DATE, row, r.getBirthDate()), issues, CustomerField.BIRTH_DATE);
        String gender = Normalizer.gender(protector.open(CustomerField.GENDER, row, r.getGender()));
        if (idValid && id.charAt(0) != '9' && id.charAt(0) != '8') {
            birth = birth != null ? birth : ResidentId.birthDate(id).toString();
            gender = gender != null ? gender : ResidentId.gender(id);
        }
        String uscc = protector.open(CustomerField.USCC, row, r.getUscc());
        boolean usccValid = uscc != null && !flagged(issues, CustomerField.USCC);
        String orgCode = protector.open(CustomerField.ORG_CODE, row, r.getOrgCode());
        boolean orgCodeValid = orgCode != null && !flagged(issues, CustomerField.ORG_CODE);
        if (orgCode == null && usccValid) {
            orgCode = CreditCode.organisationCode(uscc);
            orgCodeValid = true;
        }
        String address = ChineseName.clean(protector.open(CustomerField.ADDRESS, row, r.getAddress()));
        return new MatchRecord(StoredRecord.of(r), new MatchValues(type, name, Identifier.of(id, idValid), birth,
                gender, valid(protector.open(CustomerField.MOBILE, row, r.getMobile()), issues, CustomerField.MOBILE),
                valid(protector.open(CustomerField.PHONE, row, r.getPhone()), issues, CustomerField.PHONE),
                valid(protector.open(CustomerField.EMAIL, row, r.getEmail()), issues, CustomerField.EMAIL),
                address, district(address), Identifier.of(uscc, usccValid), Identifier.of(orgCode, orgCodeValid)));
    }

    /** Whether the importer flagged the field invalid (the issues document is keyed by field name). */
    static boolean flagged(String issues, CustomerField field) {
        return !issues.isEmpty() && issues.contains("\"" + field.column() + "\"");
    }

    private static String valid(String value, String issues, CustomerField field) {
        return value == null || flagged(issues, field) ? null : value;
    }

    /**
     * The part of an address up to its district or county (…区, …县, …旗), the level at which an abbreviated
     * address still agrees; null when there is none.
     */
    static String district(String address) {
        if (address == null) {
            return null;
        }
        for (int i = 1; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '区' || c == '县' || c == '旗') {
                // the district name is the two characters before the marker (朝阳区 in 北京市朝阳区…)
                return address.substring(Math.max(0, i - 2), i + 1);
            }
        }
        return null;
    }
}
