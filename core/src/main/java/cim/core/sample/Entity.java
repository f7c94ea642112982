package cim.core.sample;

import java.time.LocalDate;

/** One real customer behind the generated records: the truth that channel records are noisy copies of. */
record Entity(String id, boolean organisation, String name, String gender, LocalDate birth, SampleData.Place place,
              String idNumber, String mobile, String email, String street, String uscc, String contactPerson,
              String phone, boolean insured) {

    String address() {
        return place.full() + street;
    }

    String orgCode() {
        return uscc == null ? null : uscc.substring(8, 17);
    }
}
