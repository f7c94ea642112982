package cim.core.quality;

/** One record's verdicts: for each rule of the run, whether it applied, passed, failed (with why) or was waived. */
record Verdicts(QualityRecord record, byte[] states, String[] reasons) {
    static final byte NOT_APPLICABLE = 0;
    static final byte PASSED = 1;
    static final byte FAILED = 2;
    static final byte WAIVED = 3;
}
