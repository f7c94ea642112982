package cim.core.sample;

import cim.core.validate.CreditCode;
import cim.core.validate.OrganisationCode;
import cim.core.validate.ResidentId;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/** Makes plausible, valid customers: persons with real ID numbers and mobiles, organisations with real credit codes. */
final class EntityFactory {
    private final Random random;
    private long sequence;

    EntityFactory(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Surnames weighted towards the common ones, as in life. */
    String surname() {
        int index = (int) Math.min(SampleData.SURNAMES.size() - 1,
                Math.abs(random.nextGaussian()) * SampleData.SURNAMES.size() / 3.0);
        return SampleData.SURNAMES.get(index);
    }

    String given(String gender) {
        return pick("男".equals(gender) ? SampleData.GIVEN_MALE : SampleData.GIVEN_FEMALE);
    }

    Entity person() {
        String gender = random.nextBoolean() ? "男" : "女";
        String surname = surname();
        return person(surname + given(gender), gender, birthDate(), pick(SampleData.PLACES), street());
    }

    Entity person(String name, String gender, LocalDate birth, SampleData.Place place, String street) {
        String id = idNumber(place, birth, gender);
        String mobile = mobile();
        String email = random.nextInt(3) == 0 ? null : emailFor(name, id);
        return new Entity(nextId(), false, name, gender, birth, place, id, mobile, email, street, null, null, null,
                random.nextInt(100) < 55);
    }

    /** A family member: same surname, address and landline as the holder, own given name, birth date and ID. */
    Entity relative(Entity holder) {
        String gender = random.nextBoolean() ? "男" : "女";
        String surname = holder.name().substring(0, holder.name().length() > 3 ? 2 : 1);
        Entity person = person(surname + given(gender), gender, birthDate(), holder.place(), holder.street());
        return new Entity(person.id(), false, person.name(), gender, person.birth(), holder.place(),
                person.idNumber(), holder.mobile(), person.email(), holder.street(), null, null, holder.phone(),
                person.insured());
    }

    Entity organisation() {
        SampleData.Place place = pick(SampleData.PLACES);
        String name = place.city().replace("市", "") + pick(SampleData.ORG_WORDS) + pick(SampleData.ORG_KINDS)
                + pick(SampleData.ORG_FORMS);
        String contactGender = random.nextBoolean() ? "男" : "女";
        return new Entity(nextId(), true, name, null, null, place, null, random.nextBoolean() ? mobile() : null,
                random.nextBoolean() ? "info" + random.nextInt(10_000) + "@corp" + random.nextInt(1000) + ".cn" : null,
                street(), uscc(place), surname() + given(contactGender), landline(place), random.nextInt(100) < 70);
    }

    LocalDate birthDate() {
        return LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 65));
    }

    String street() {
        return pick(SampleData.STREETS) + (1 + random.nextInt(300)) + "号";
    }

    String idNumber(SampleData.Place place, LocalDate birth, String gender) {
        int sequence3 = random.nextInt(500) * 2 + ("男".equals(gender) ? 1 : 0);
        String body = place.code() + birth.toString().replace("-", "") + String.format("%03d", sequence3);
        return body + ResidentId.checkCharacter(body);
    }

    String mobile() {
        return pick(SampleData.MOBILE_PREFIXES) + String.format("%08d", random.nextInt(100_000_000));
    }

    /** A landline that libphonenumber accepts (some local prefixes are not in use), so clean data stays clean. */
    String landline(SampleData.Place place) {
        String number;
        do {
            number = place.area() + "-" + (2 + random.nextInt(8)) + String.format("%07d", random.nextInt(10_000_000));
        } while (cim.core.validate.Contacts.checkLandline(number).isPresent());
        return number;
    }

    private String emailFor(String name, String id) {
        String latin = SampleData.PINYIN.getOrDefault(name.substring(0, 1), "user");
        return latin + id.substring(10, 14) + random.nextInt(100) + "@" + pick(List.of("qq.com", "163.com",
                "126.com", "sina.com", "example.cn"));
    }

    private String uscc(SampleData.Place place) {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        String org;
        do {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                body.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            org = body.toString();
        } while (alphabet.indexOf(OrganisationCode.checkCharacter(org)) < 0);
        String body17 = "91" + place.code() + org + OrganisationCode.checkCharacter(org);
        return body17 + CreditCode.checkCharacter(body17);
    }

    private String nextId() {
        return String.format("E%08d", ++sequence);
    }
}
