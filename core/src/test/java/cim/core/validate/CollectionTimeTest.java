package cim.core.validate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The times channels write when they collected a record; anything else is no time. */
class CollectionTimeTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "2026-11-01|2026-11-01T00:00+08:00",
        "20261101|2026-11-01T00:00+08:00",
        "2026-11-01 10:00|2026-11-01T10:00+08:00",
        "2026/11/1 9:05|2026-11-01T09:05+08:00",
        "2026年11月1日 10:00:30|2026-11-01T10:00:30+08:00",
        "2026-11-01T10:00:00|2026-11-01T10:00+08:00",
        "2026-11-01T10:00:00Z|2026-11-01T10:00Z",
        "2026-11-01T10:00:00+09:00|2026-11-01T10:00+09:00",
        "yesterday|none",
        "2026-13-01|none",
        "2026-11-01 25:00|none",
        "2026-11-01 10|none",
        "0001-01-01|none",
    })
    void readsTheFormsChannelsWrite(String text, String expected) {
        assertThat(Dates.parseTime(text, SHANGHAI).map(Object::toString).orElse(null)).isEqualTo(expected);
    }
}
