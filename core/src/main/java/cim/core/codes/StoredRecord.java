package cim.core.codes;

import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.protect.CustomerField;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * A source record as a golden record is built from it: its provenance, and the stored values of its fields (sealed
 * ones still sealed, with their blind indexes) packed in one byte array. {@code codes assign} keeps hundreds of
 * thousands of these for a run; packed, each is a few objects instead of a row's fifty, which the collector would
 * otherwise trace and copy again and again.
 */
final class StoredRecord implements Serializable {
    /** The columns of {@link CustomerField#STORED_COLUMNS}, as indexes into a source_record row. */
    private static final int[] ROW_INDEX = CustomerField.STORED_COLUMNS.stream().mapToInt(SOURCE_RECORD::indexOf)
            .toArray();

    static {
        if (ROW_INDEX.length > Long.SIZE) {
            throw new ExceptionInInitializerError("more stored columns than the presence bits hold");
        }
    }

    private final long id;
    private final long batchId;
    private final String sourceSystem;
    private final String sourceKey;
    private final String customerType;
    private final String status;
    private final String issues;
    /** When collected (or loaded, when the channel did not say), in microseconds since the epoch. */
    private final long collected;
    /** Bit i: the stored column i has a value. */
    private final long present;
    /** The values present, in column order, each as its UTF-8 length (unsigned LEB128) and bytes. */
    private final byte[] values;

    private StoredRecord(SourceRecordRecord row, long present, byte[] values) {
        // 0 for a record not stored yet (as the matcher's tests make them)
        this.id = row.getId() == null ? 0 : row.getId();
        this.batchId = row.getBatchId() == null ? 0 : row.getBatchId();
        // the same few channel names, types and states on every record: held once
        this.sourceSystem = shared(row.getSourceSystem());
        this.sourceKey = row.getSourceKey();
        this.customerType = shared(row.getCustomerType());
        this.status = shared(row.getStatus());
        this.issues = row.getIssues();
        OffsetDateTime when = row.getCollectedAt() != null ? row.getCollectedAt() : row.getLoadedAt();
        this.collected = when == null ? Long.MIN_VALUE : TimeUnit.SECONDS.toMicros(when.toEpochSecond())
                + when.getNano() / 1_000;
        this.present = present;
        this.values = values;
    }

    private static String shared(String value) {
        return value == null ? null : value.intern();
    }

    static StoredRecord of(SourceRecordRecord row) {
        long present = 0;
        ByteArrayOutputStream packed = new ByteArrayOutputStream(1024);
        for (int column = 0; column < ROW_INDEX.length; column++) {
            Object value = row.get(ROW_INDEX[column]);
            if (value != null) {
                present |= 1L << column;
                byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
                for (int length = bytes.length; ; length >>>= 7) {
                    if (length < 0x80) {
                        packed.write(length);
                        break;
                    }
                    packed.write(length & 0x7f | 0x80);
                }
                packed.write(bytes, 0, bytes.length);
            }
        }
        return new StoredRecord(row, present, packed.toByteArray());
    }

    /** The column's index among {@link CustomerField#STORED_COLUMNS}. */
    static int column(String name) {
        int column = CustomerField.STORED_COLUMNS.indexOf(name);
        if (column < 0) {
            throw new IllegalArgumentException("not a stored column: " + name);
        }
        return column;
    }

    boolean has(int column) {
        return (present & 1L << column) != 0;
    }

    /** The stored value of a column (sealed if it was), or null. */
    String value(int column) {
        if (!has(column)) {
            return null;
        }
        int at = 0;
        for (int c = 0; ; c++) {
            if (!has(c)) {
                continue;
            }
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = values[at++];
                length |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
            }
            if (c == column) {
                return new String(values, at, length, StandardCharsets.UTF_8);
            }
            at += length;
        }
    }

    long id() {
        return id;
    }

    long batchId() {
        return batchId;
    }

    String sourceSystem() {
        return sourceSystem;
    }

    String sourceKey() {
        return sourceKey;
    }

    String customerType() {
        return customerType;
    }

    String status() {
        return status;
    }

    /** The importer's issues document (the fields flagged invalid), or "" for none. */
    String issues() {
        return issues == null ? "" : issues;
    }

    /** When the record was collected (loaded, when the channel did not say), to the microsecond; null if unknown. */
    OffsetDateTime collected() {
        if (collected == Long.MIN_VALUE) {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(collected, 1_000_000L), Math.floorMod(collected, 1_000_000L) * 1_000)
                .atOffset(ZoneOffset.UTC);
    }

    /** {@link #collected} as a number that orders the same way. */
    long collectedOrder() {
        return collected;
    }
}
