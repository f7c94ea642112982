package cim.core.db;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BulkInsertTest {
    @Property(tries = 500)
    void aRowIsCopysCsvInUtf8(@ForAll("rows") List<String> values) {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            expected.append(i > 0 ? "," : "").append(v == null ? "" : "\"" + v.replace("\"", "\"\"") + "\"");
        }
        expected.append('\n');
        assertThat(BulkInsert.csvRow(values.toArray())).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void nullIsAnEmptyFieldAndAnEmptyStringIsQuoted() {
        assertThat(new String(BulkInsert.csvRow(new Object[] {null, "", "a\"b", 7L, new java.math.BigDecimal("1E+2")}),
                StandardCharsets.UTF_8)).isEqualTo(",\"\",\"a\"\"b\",\"7\",\"100\"\n");
    }

    @Provide
    Arbitrary<List<String>> rows() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\",\n 王小明１２é").ofMaxLength(12),
                Arbitraries.just(null), Arbitraries.just(""));
        return value.list().ofMinSize(1).ofMaxSize(8);
    }
}
