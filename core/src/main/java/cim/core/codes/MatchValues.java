package cim.core.codes;

import cim.core.CustomerType;

import java.io.Serializable;

/**
 * What the comparators and blocking keys read of a record: its values opened and normalised into the forms that
 * compare (a cleaned name, a district cut from the address). Plain and serialisable, no keys or database inside, so
 * that any engine can compare them. Values the importer flagged invalid are absent, but for identifiers, which are
 * kept with their validity.
 */
public record MatchValues(CustomerType type, String name, Identifier idNumber, String birthDate, String gender,
                          String mobile, String phone, String email, String address, String district,
                          Identifier uscc, Identifier orgCode) implements Serializable {

    boolean organisation() {
        return type.organisation();
    }
}
