package cim.core.io;

/** CSV cells for files people open in spreadsheets. */
public final class Csv {
    private Csv() {
    }

    /**
     * A quoted RFC 4180 cell; a value starting with =, +, - or @ gets a leading apostrophe, so that a spreadsheet
     * shows it as text instead of running it as a formula (CSV injection).
     */
    public static String cell(String value) {
        return '"' + guarded(value).replace("\"", "\"\"") + '"';
    }

    /**
     * The value as a spreadsheet should see it: a leading apostrophe before =, +, - or @ (CSV injection), unless it
     * is a plain number (-5, +8613812345678, -1.5), which a spreadsheet cannot run and must receive unchanged.
     */
    public static String guarded(String value) {
        String v = value == null ? "" : value;
        return !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !PLAIN_NUMBER.matcher(v).matches() ? "'" + v : v;
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("[+-][0-9]+(\\.[0-9]+)?");
}
