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
    void theByteRowIsTheTextRowInUtf8(@ForAll("rows") List<String> values) {
        Object[] row = values.toArray();
        StringBuilder text = new StringBuilder();
        BulkInsert.appendCsv(text, row);
        assertThat(BulkInsert.csvRow(row)).isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<String>> rows() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\",\n 王小明１２é").ofMaxLength(12),
                Arbitraries.just(null), Arbitraries.just(""));
        return value.list().ofMinSize(1).ofMaxSize(8);
    }
}
