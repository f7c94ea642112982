package cim.core.policy;

/**
 * The cleansing rules (清洗, Art. 11.2) an import applies, each switchable in the policy: blanks typed between the
 * Chinese characters of a name removed, gender written as 男/女/M/F/1/2/male/female made M or F, and address noise
 * (blanks between Chinese characters, a province or city written twice) taken out. Each correction keeps the value
 * as received, sealed, in the record's provenance.
 */
public record Cleansing(boolean nameBlanks, boolean gender, boolean address) {
    /** Every rule on: the built-in default. */
    public static final Cleansing ALL = new Cleansing(true, true, true);
}
