package cim.core.db;

import cim.core.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CopyBinaryTest {
    private static final List<Field<?>> FIELDS = List.of(DSL.field("n", Long.class), DSL.field("t", String.class),
            DSL.field("i8", Long.class), DSL.field("i4", Integer.class), DSL.field("i2", Short.class),
            DSL.field("b", Boolean.class), DSL.field("ts", OffsetDateTime.class), DSL.field("d", LocalDate.class),
            DSL.field("num", BigDecimal.class), DSL.field("score", BigDecimal.class));

    /**
     * Rows of every type the schema uses, extremes and NULLs included, inserted as a bulk insert does (binary COPY
     * on PostgreSQL, batches elsewhere), read back as they were given: a time to the microsecond, a number with
     * its scale (a column's own scale rounds it).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void everyValueIsStoredAsGiven(Backend backend) throws Exception {
        Random random = new Random(20261127);
        List<Object[]> rows = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) {
            rows.add(new Object[] {(long) n, text(random), pick(random, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong()),
                pick(random, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt()),
                pick(random, Short.MIN_VALUE, Short.MAX_VALUE, (short) random.nextInt()),
                random.nextInt(5) == 0 ? null : random.nextBoolean(), time(random),
                random.nextInt(5) == 0 ? null : LocalDate.ofEpochDay(random.nextInt(200_000) - 100_000),
                number(random), random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(1_999_999) - 999_999, 4
                        + random.nextInt(3))});
        }
        try (TestDatabase testDb = TestDatabase.create(backend); Connection connection = testDb.connect()) {
            DSLContext dsl = DSL.using(connection, backend.dialect());
            String timestamp = backend == Backend.POSTGRESQL ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP(6) WITH TIME ZONE";
            dsl.execute("CREATE TABLE typed (n BIGINT, t VARCHAR(400), i8 BIGINT, i4 INTEGER, i2 SMALLINT, b BOOLEAN, ts "
                    + timestamp + ", d DATE, num NUMERIC" + (backend == Backend.POSTGRESQL ? "" : "(100, 40)")
                    + ", score NUMERIC(6, 4))");
            BulkInsert.insert(dsl, DSL.table("typed"), FIELDS, rows);
            List<Record> stored = dsl.select(FIELDS).from(DSL.table("typed")).orderBy(FIELDS.get(0)).fetch();
            assertThat(stored).hasSize(rows.size());
            for (int n = 0; n < rows.size(); n++) {
                Object[] given = rows.get(n);
                Record row = stored.get(n);
                assertThat(row.get(1)).isEqualTo(given[1]);
                for (int i = 2; i <= 5; i++) {
                    assertThat(row.get(i)).as(FIELDS.get(i).getName()).isEqualTo(given[i]);
                }
                OffsetDateTime time = (OffsetDateTime) given[6];
                assertThat(row.get(6, OffsetDateTime.class) == null ? null : row.get(6, OffsetDateTime.class).toInstant())
                        .as("ts of %s", time).isEqualTo(time == null ? null : time.plusNanos(500).truncatedTo(
                                ChronoUnit.MICROS).toInstant());
                assertThat(row.get(7)).isEqualTo(given[7]);
                BigDecimal number = (BigDecimal) given[8];
                if (backend == Backend.POSTGRESQL || number == null) {
                    assertThat(row.get(8, BigDecimal.class) == null ? null : row.get(8, BigDecimal.class).toPlainString())
                            .as("num").isEqualTo(number == null ? null : number.setScale(Math.max(0, number.scale()))
                                    .toPlainString());
                } else {
                    assertThat(row.get(8, BigDecimal.class)).as("num").isEqualByComparingTo(number);
                }
                BigDecimal score = (BigDecimal) given[9];
                assertThat(row.get(9, BigDecimal.class)).as("score").isEqualTo(score == null ? null
                        : score.setScale(4, java.math.RoundingMode.HALF_UP));
            }
        }
    }

    /** Rows go to the server in messages of 64 KiB; a row longer than that goes on its own, in order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cim.core.testing.Backends#all")
    void rowsLongerThanAMessageKeepTheirPlace(Backend backend) throws Exception {
        List<Field<?>> fields = List.of(DSL.field("n", Long.class), DSL.field("t", String.class));
        List<Object[]> rows = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            rows.add(new Object[] {(long) n, n % 100 == 7 ? "长".repeat(40_000 + n) : "row " + n + " ".repeat(n * 3)});
        }
        try (TestDatabase testDb = TestDatabase.create(backend); Connection connection = testDb.connect()) {
            DSLContext dsl = DSL.using(connection, backend.dialect());
            dsl.execute("CREATE TABLE long_rows (n BIGINT, t VARCHAR(100000))");
            BulkInsert.insert(dsl, DSL.table("long_rows"), fields, rows);
            List<String> stored = dsl.select(fields.get(1)).from(DSL.table("long_rows")).orderBy(fields.get(0))
                    .fetch(0, String.class);
            assertThat(stored).containsExactlyElementsOf(rows.stream().map(row -> (String) row[1]).toList());
        }
    }

    @Test
    void aNumericIsBaseTenThousandDigitsWithWeightSignAndScale() {
        assertThat(hex(CopyBinary.numeric(new BigDecimal("12345.678")))).isEqualTo("0003" + "0001" + "0000" + "0003"
                + "0001" + "0929" + "1a7c");
        assertThat(hex(CopyBinary.numeric(new BigDecimal("-0.00000001")))).isEqualTo("0001" + "fffe" + "4000" + "0008"
                + "0001");
        assertThat(hex(CopyBinary.numeric(new BigDecimal("0.000")))).isEqualTo("0000" + "0000" + "0000" + "0003");
        assertThat(hex(CopyBinary.numeric(new BigDecimal("1E+5")))).isEqualTo("0001" + "0001" + "0000" + "0000"
                + "000a");
    }

    @Test
    void aTimeIsMicrosecondsSinceTheTurnOfTheCentury() {
        assertThat(CopyBinary.microseconds(OffsetDateTime.of(2000, 1, 1, 8, 0, 0, 1_500, ZoneOffset.ofHours(8))))
                .isEqualTo(2);
        assertThat(CopyBinary.microseconds(OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC)))
                .isEqualTo(-1_000_000);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static <T> T pick(Random random, T low, T high, T any) {
        int choice = random.nextInt(10);
        return choice == 0 ? null : choice == 1 ? low : choice == 2 ? high : any;
    }

    private static String text(Random random) {
        if (random.nextInt(8) == 0) {
            return random.nextBoolean() ? null : "";
        }
        StringBuilder text = new StringBuilder();
        String alphabet = "ab\",\n\\ 王小明１２é\t'";
        for (int i = random.nextInt(120); i > 0; i--) {
            text.append(random.nextInt(20) == 0 ? Character.toString(0x1F600 + random.nextInt(50))
                    : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
        }
        return text.toString();
    }

    private static OffsetDateTime time(Random random) {
        if (random.nextInt(6) == 0) {
            return null;
        }
        long second = -3_000_000_000L + (long) (random.nextDouble() * 8_000_000_000L);
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)),
                ZoneOffset.ofHoursMinutes(random.nextInt(25) - 12, 0));
    }

    private static BigDecimal number(Random random) {
        if (random.nextInt(6) == 0) {
            return null;
        }
        BigInteger unscaled = new BigInteger(1 + random.nextInt(100), random);
        return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(30) - 5);
    }
}
