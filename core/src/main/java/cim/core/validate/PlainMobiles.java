package cim.core.validate;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type libphonenumber gives a plain mobile (eleven digits from 13 to 19), from the two of China's patterns
 * that can decide it: its general pattern (any valid number) and its mobile one. libphonenumber tries every
 * type in turn, and its fixed-line pattern, which no such number can match, was most of the cost of a check.
 * Whether the metadata really leaves every other type out is worked out once from the metadata itself (a
 * pattern that fails on "13" … "19" without reading to their end fails on anything they begin); where it
 * does not, DECIDE is false and libphonenumber decides. ContactsPlainNumberTest holds the answers to its own.
 */
final class PlainMobiles {
    private static final int LENGTH = 11;
    private static final PhoneMetadata CHINA_METADATA = DefaultMetadataDependenciesProvider.getInstance()
            .getPhoneNumberMetadataSource().getMetadataForRegion(Contacts.DEFAULT_REGION);
    private static final Desc GENERAL = new Desc(CHINA_METADATA.getGeneralDesc());
    private static final Desc MOBILE = new Desc(CHINA_METADATA.getMobile());
    /** Whether {@link #type} gives libphonenumber's answer (else the caller asks libphonenumber). */
    static final boolean DECIDE = !CHINA_METADATA.getSameMobileAndFixedLinePattern()
            && List.of(CHINA_METADATA.getPremiumRate(), CHINA_METADATA.getTollFree(),
                    CHINA_METADATA.getSharedCost(), CHINA_METADATA.getVoip(), CHINA_METADATA.getPersonalNumber(),
                    CHINA_METADATA.getPager(), CHINA_METADATA.getUan(), CHINA_METADATA.getVoicemail(),
                    CHINA_METADATA.getFixedLine()).stream().map(Desc::new).allMatch(Desc::neverMatchesAPlainMobile);

    private PlainMobiles() {
    }

    static PhoneNumberType type(String digits) {
        return GENERAL.matches(digits) && MOBILE.matches(digits) ? PhoneNumberType.MOBILE
                : PhoneNumberType.UNKNOWN;
    }

    /** A type's lengths and pattern, matched as libphonenumber matches them (lengths first, then the whole). */
    record Desc(List<Integer> lengths, Pattern pattern) {
        Desc(PhoneNumberDesc desc) {
            this(desc.getPossibleLengthList(), desc.getNationalNumberPattern().isEmpty() ? null
                    : Pattern.compile(desc.getNationalNumberPattern()));
        }

        boolean matches(String digits) {
            return (lengths.isEmpty() || lengths.contains(digits.length())) && pattern != null
                    && pattern.matcher(digits).matches();
        }

        boolean neverMatchesAPlainMobile() {
            if ((!lengths.isEmpty() && !lengths.contains(LENGTH)) || pattern == null) {
                return true;
            }
            for (char second = '3'; second <= '9'; second++) {
                Matcher beginning = pattern.matcher("1" + second);
                if (beginning.matches() || beginning.hitEnd()) {
                    return false;
                }
            }
            return true;
        }
    }
}
