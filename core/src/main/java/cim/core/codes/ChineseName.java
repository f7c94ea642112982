package cim.core.codes;

import cim.core.validate.Normalizer;
import net.sourceforge.pinyin4j.PinyinHelper;
import net.sourceforge.pinyin4j.format.HanyuPinyinCaseType;
import net.sourceforge.pinyin4j.format.HanyuPinyinOutputFormat;
import net.sourceforge.pinyin4j.format.HanyuPinyinToneType;
import net.sourceforge.pinyin4j.format.HanyuPinyinVCharType;
import net.sourceforge.pinyin4j.format.exception.BadHanyuPinyinOutputFormatCombination;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How two names compare as a Chinese reader would: by characters, and by sound (toneless pinyin), so that a
 * homophone typed by a telesales agent (张/章) and a traditional form (張/张) read alike; with the surname, one or
 * two characters (欧阳), told apart from the given name, so that a family member (same surname, another given
 * name) is told apart from a typo. Organisation names are compared without their legal form (有限公司 …).
 */
public final class ChineseName {
    /** How far two names agree, from most to least. */
    public enum Agreement {
        /** The same characters. */
        EXACT,
        /** Every character reads alike: homophones, traditional and simplified forms. */
        SOUND_ALIKE,
        /** Same surname; the given names differ by one character of several, or one is cut short. */
        SIMILAR,
        /** Same surname, another given name: a family member, not a typo. */
        OTHER_GIVEN_NAME,
        /** Nothing in common worth the name. */
        DIFFERENT
    }

    private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟",
            "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "申屠", "澹台",
            "公冶", "太史", "呼延", "歐陽", "諸葛", "東方", "長孫");
    private static final List<String> LEGAL_FORMS = List.of("股份有限公司", "有限责任公司", "有限公司", "集团公司",
            "分公司", "公司", "集团", "(有限合伙)", "有限合伙", "合伙企业", "个体工商户", "厂", "店");
    private static final HanyuPinyinOutputFormat FORMAT = new HanyuPinyinOutputFormat();
    /** Per character, filled as met; shared by the threads that open records in parallel. */
    private static final AtomicReferenceArray<String[]> READINGS = new AtomicReferenceArray<>(0x10000);
    private static final String[] NONE = new String[0];

    static {
        FORMAT.setToneType(HanyuPinyinToneType.WITHOUT_TONE);
        FORMAT.setVCharType(HanyuPinyinVCharType.WITH_V);
        FORMAT.setCaseType(HanyuPinyinCaseType.LOWERCASE);
    }

    private ChineseName() {
    }

    /** A name as compared: NFKC, without blanks and the middle dots of transliterated names. */
    public static String clean(String name) {
        String text = Normalizer.text(name);
        if (text == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '·' && c != '•' && c != '.' && c != '\u3000') {
                clean.append(Character.toLowerCase(c));
            }
        }
        return clean.isEmpty() ? null : clean.toString();
    }

    /** An organisation name without its legal form and brackets, so that 华信科技有限公司 is 华信科技. */
    public static String cleanOrganisation(String name) {
        String clean = clean(name);
        if (clean == null) {
            return null;
        }
        clean = clean.replace('（', '(').replace('）', ')');
        for (String form : LEGAL_FORMS) {
            if (clean.endsWith(form) && clean.length() > form.length() + 1) {
                clean = clean.substring(0, clean.length() - form.length());
                break;
            }
        }
        return clean;
    }

    /** The toneless pinyin readings of a character (several for 多音字), or the character itself when not Han. */
    static String[] readings(char c) {
        String[] cached = READINGS.get(c);
        if (cached == null) {
            cached = lookup(c);
            READINGS.set(c, cached);
        }
        return cached.length == 0 ? new String[] {String.valueOf(c)} : cached;
    }

    private static String[] lookup(char c) {
        try {
            String[] found = PinyinHelper.toHanyuPinyinStringArray(c, FORMAT);
            return found == null ? NONE : Arrays.stream(found).distinct().toArray(String[]::new);
        } catch (BadHanyuPinyinOutputFormatCombination e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sound of a cleaned name: each character's first reading, joined by blanks ("zhang wei"). */
    public static String sound(String clean) {
        StringBuilder sound = new StringBuilder(clean.length() * 5);
        for (int i = 0; i < clean.length(); i++) {
            if (i > 0) {
                sound.append(' ');
            }
            sound.append(readings(clean.charAt(i))[0]);
        }
        return sound.toString();
    }

    /** How many leading characters are the surname: two for the compound surnames, else one. */
    public static int surnameLength(String clean) {
        return clean.length() > 2 && COMPOUND_SURNAMES.contains(clean.substring(0, 2)) ? 2 : 1;
    }

    /** Compares two cleaned person names. */
    public static Agreement comparePersons(String a, String b) {
        if (a.equals(b)) {
            return Agreement.EXACT;
        }
        if (a.length() == b.length() && soundAlike(a, 0, b, 0, a.length())) {
            return Agreement.SOUND_ALIKE;
        }
        int surname = surnameLength(a);
        if (surnameLength(b) != surname || !soundAlike(a, 0, b, 0, surname)) {
            return Agreement.DIFFERENT;
        }
        String givenA = a.substring(surname);
        String givenB = b.substring(surname);
        if (givenA.isEmpty() || givenB.isEmpty()) {
            return Agreement.SIMILAR;
        }
        if (givenA.length() == givenB.length() && givenA.length() >= 2 && differingSounds(givenA, givenB) == 1) {
            return Agreement.SIMILAR;
        }
        if (givenA.length() != givenB.length() && Math.min(givenA.length(), givenB.length()) >= 1
                && Math.max(givenA.length(), givenB.length()) >= 3
                && (givenA.startsWith(givenB) || givenB.startsWith(givenA))) {
            return Agreement.SIMILAR;
        }
        return Agreement.OTHER_GIVEN_NAME;
    }

    /** Compares two organisation names, cleaned of their legal forms. */
    public static Agreement compareOrganisations(String a, String b) {
        if (a.equals(b)) {
            return Agreement.EXACT;
        }
        if (a.length() == b.length() && soundAlike(a, 0, b, 0, a.length())) {
            return Agreement.SOUND_ALIKE;
        }
        if (Math.min(a.length(), b.length()) >= 4 && (a.contains(b) || b.contains(a))) {
            return Agreement.SIMILAR;
        }
        return Agreement.DIFFERENT;
    }

    private static boolean soundAlike(String a, int fromA, String b, int fromB, int length) {
        for (int i = 0; i < length; i++) {
            if (!charsAlike(a.charAt(fromA + i), b.charAt(fromB + i))) {
                return false;
            }
        }
        return true;
    }

    private static int differingSounds(String a, String b) {
        int differing = 0;
        for (int i = 0; i < a.length(); i++) {
            if (!charsAlike(a.charAt(i), b.charAt(i))) {
                differing++;
            }
        }
        return differing;
    }

    static boolean charsAlike(char a, char b) {
        if (a == b) {
            return true;
        }
        for (String x : readings(a)) {
            for (String y : readings(b)) {
                if (x.equals(y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name in the words of an explanation. */
    static String describe(Agreement agreement) {
        return agreement.name().toLowerCase(Locale.ROOT);
    }
}
