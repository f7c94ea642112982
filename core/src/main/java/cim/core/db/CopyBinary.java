package cim.core.db;

import org.jooq.Field;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format: each value as its type's binary form (a number as its bytes, a time as
 * microseconds), so the server neither parses text nor scans for quotes, and no time is formatted here. The
 * columns' Java types (from the generated schema) choose each encoding; a type without one is refused up front.
 */
public final class CopyBinary {
    /** The format's signature, flags and header extension length. */
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1 ends the data. */
    static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
    private static final long POSTGRES_EPOCH_DAY = 10_957L;

    /** A column's encoding. */
    enum Type { TEXT, INT8, INT4, INT2, BOOL, TIMESTAMPTZ, DATE, NUMERIC }

    private final Type[] types;

    private CopyBinary(Type[] types) {
        this.types = types;
    }

    /** The encoder for rows of these columns, in this order. */
    public static CopyBinary of(List<? extends Field<?>> fields) {
        Type[] types = new Type[fields.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = type(fields.get(i));
        }
        return new CopyBinary(types);
    }

    private static Type type(Field<?> field) {
        Class<?> type = field.getType();
        if (type == String.class) {
            return Type.TEXT;
        } else if (type == Long.class) {
            return Type.INT8;
        } else if (type == Integer.class) {
            return Type.INT4;
        } else if (type == Short.class) {
            return Type.INT2;
        } else if (type == Boolean.class) {
            return Type.BOOL;
        } else if (type == OffsetDateTime.class) {
            return Type.TIMESTAMPTZ;
        } else if (type == LocalDate.class) {
            return Type.DATE;
        } else if (type == BigDecimal.class) {
            return Type.NUMERIC;
        }
        throw new IllegalArgumentException("no binary COPY encoding for " + field.getName() + " (" + type + ")");
    }

    /** One row (values in the columns' order; null for SQL NULL) as a tuple of the binary format. */
    public byte[] row(Object[] values) {
        byte[][] texts = new byte[values.length][];
        int size = 2;
        for (int i = 0; i < values.length; i++) {
            size += 4;
            Object value = values[i];
            if (value != null) {
                if (types[i] == Type.TEXT) {
                    texts[i] = value.toString().getBytes(StandardCharsets.UTF_8);
                    size += texts[i].length;
                } else if (types[i] == Type.NUMERIC) {
                    texts[i] = numeric((BigDecimal) value);
                    size += texts[i].length;
                } else {
                    size += width(types[i]);
                }
            }
        }
        Out out = new Out(size);
        out.int16(values.length);
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                out.int32(-1);
            } else if (texts[i] != null) {
                out.int32(texts[i].length);
                out.bytes(texts[i]);
            } else {
                out.int32(width(types[i]));
                switch (types[i]) {
                    case INT8 -> out.int64(((Number) value).longValue());
                    case INT4 -> out.int32(((Number) value).intValue());
                    case INT2 -> out.int16(((Number) value).shortValue());
                    case BOOL -> out.bytes(new byte[] {(byte) (((Boolean) value) ? 1 : 0)});
                    case TIMESTAMPTZ -> out.int64(microseconds((OffsetDateTime) value));
                    case DATE -> out.int32((int) (((LocalDate) value).toEpochDay() - POSTGRES_EPOCH_DAY));
                    default -> throw new IllegalStateException(types[i].name());
                }
            }
        }
        return out.bytes;
    }

    private static int width(Type type) {
        return switch (type) {
            case INT8, TIMESTAMPTZ -> 8;
            case INT4, DATE -> 4;
            case INT2 -> 2;
            case BOOL -> 1;
            default -> throw new IllegalStateException(type.name());
        };
    }

    /** Microseconds since 2000-01-01 UTC, rounded to the nearest as PostgreSQL rounds a time it reads as text. */
    static long microseconds(OffsetDateTime time) {
        long seconds = time.toEpochSecond() - POSTGRES_EPOCH_SECOND;
        return seconds * 1_000_000L + (time.getNano() + 500) / 1_000;
    }

    /**
     * A numeric's binary form: base-10000 digits (most significant first) with the weight of the first, a sign and
     * the display scale; zeros at either end are left out.
     */
    static byte[] numeric(BigDecimal value) {
        int scale = Math.max(value.scale(), 0);
        BigInteger unscaled = value.setScale(scale).unscaledValue();
        String digits = unscaled.abs().toString();
        int integerLength = digits.length() - scale;
        String integer = integerLength > 0 ? digits.substring(0, integerLength) : "";
        String fraction = integerLength >= 0 ? digits.substring(integerLength) : "0".repeat(-integerLength) + digits;
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        String all = integer + fraction;
        short[] groups = new short[all.length() / 4];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = Short.parseShort(all.substring(4 * i, 4 * i + 4));
        }
        int first = 0;
        int last = groups.length;
        while (first < last && groups[first] == 0) {
            first++;
        }
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int count = last - first;
        int weight = count == 0 ? 0 : integer.length() / 4 - 1 - first;
        Out out = new Out(8 + 2 * count);
        out.int16(count);
        out.int16(weight);
        out.int16(count > 0 && unscaled.signum() < 0 ? 0x4000 : 0);
        out.int16(scale);
        for (int i = first; i < last; i++) {
            out.int16(groups[i]);
        }
        return out.bytes;
    }

    /** A fixed-size big-endian writer. */
    private static final class Out {
        final byte[] bytes;
        int at;

        Out(int size) {
            bytes = new byte[size];
        }

        void int16(int v) {
            bytes[at++] = (byte) (v >>> 8);
            bytes[at++] = (byte) v;
        }

        void int32(int v) {
            int16(v >>> 16);
            int16(v);
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        void bytes(byte[] b) {
            System.arraycopy(b, 0, bytes, at, b.length);
            at += b.length;
        }
    }
}
