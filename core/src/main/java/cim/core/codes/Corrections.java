package cim.core.codes;

import cim.core.db.schema.tables.records.CustomerCorrectionRecord;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.TierRegistry;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cim.core.db.schema.Tables.CUSTOMER_CORRECTION;

/**
 * A steward's corrections (Art. 46, {@code cim codes correct}): per customer, the value a steward set for a field,
 * stored as its tier says and sealed to the customer itself ({@link FieldProtector#customerRow}). Survivorship puts
 * it above every channel's value ({@link GoldenRecord}) until a later correction or an unpin; a merge carries the
 * absorbed customer's corrections to the survivor for the fields it has none of, sealed again to the survivor.
 */
final class Corrections {
    /** In a golden record's provenance: the field's value is a steward's correction. */
    static final String STEWARD = FieldProtector.STEWARD;

    private final DSLContext tx;
    private final FieldProtector protector;
    /** The codes with corrections, read once: corrections are few, and most customers have none. */
    private Set<String> corrected;

    Corrections(DSLContext tx, FieldProtector protector) {
        this.tx = tx;
        this.protector = protector;
    }

    /** Whether any customer has a correction (a merge moves them, only a steward adds the first). */
    boolean any() {
        return corrected != null ? !corrected.isEmpty() : tx.fetchExists(CUSTOMER_CORRECTION);
    }

    /** A customer's corrections, by field, as stored; empty when it has none. */
    Map<CustomerField, FieldProtector.Stored> of(String code) {
        if (corrected == null) {
            corrected = new HashSet<>(tx.select(CUSTOMER_CORRECTION.CODE).from(CUSTOMER_CORRECTION)
                    .fetch(CUSTOMER_CORRECTION.CODE));
        }
        Map<CustomerField, FieldProtector.Stored> values = new EnumMap<>(CustomerField.class);
        if (!corrected.contains(code)) {
            return values;
        }
        CustomerCorrectionRecord row = tx.selectFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.eq(code))
                .fetchOne();
        if (row != null) {
            for (CustomerField field : CustomerField.values()) {
                String value = row.get(field.column(), String.class);
                if (value != null) {
                    values.put(field, new FieldProtector.Stored(value, field.blindIndexColumn()
                            .map(c -> row.get(c, String.class)).orElse(null)));
                }
            }
        }
        return values;
    }

    /**
     * The corrections a customer's golden record takes: its own, then, for the fields it has none of, those of the
     * customers it absorbs (in order), sealed again to it.
     */
    Map<CustomerField, FieldProtector.Stored> combined(String code, List<String> absorbed) {
        Map<CustomerField, FieldProtector.Stored> values = of(code);
        for (String other : absorbed) {
            of(other).forEach((field, stored) -> {
                if (values.containsKey(field)) {
                    return;
                }
                try {
                    values.put(field, new FieldProtector.Stored(protector.rebind(field.column(),
                            FieldProtector.customerRow(other), FieldProtector.customerRow(code), stored.value()),
                            stored.blindIndex()));
                } catch (FieldProtector.Unreadable e) {
                    // a correction altered in the database opens nowhere: the channels' value applies (tiers
                    // verify and the absorbed customer's history show it), and the merge goes on
                }
            });
        }
        return values;
    }

    /** After a merge: the absorbed customer's corrections become the survivor's where it has none. */
    void absorb(String survivor, String absorbed) {
        Map<CustomerField, FieldProtector.Stored> moved = of(absorbed);
        if (moved.isEmpty()) {
            return;
        }
        Map<CustomerField, FieldProtector.Stored> values = combined(survivor, List.of(absorbed));
        tx.deleteFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.eq(absorbed)).execute();
        corrected.remove(absorbed);
        write(survivor, values);
    }

    /** Sets a field's correction (a clear, normalised value), stored as the registry's tier says. */
    void set(TierRegistry registry, String code, CustomerField field, String clear) {
        Map<CustomerField, FieldProtector.Stored> values = of(code);
        values.put(field, protector.store(registry, field, FieldProtector.customerRow(code), clear));
        write(code, values);
    }

    /** Takes a field's correction away: the channels' values apply again. False when it had none. */
    boolean unpin(String code, CustomerField field) {
        Map<CustomerField, FieldProtector.Stored> values = of(code);
        if (values.remove(field) == null) {
            return false;
        }
        write(code, values);
        return true;
    }

    /** Removes every correction of a customer (an erase). */
    void forget(String code) {
        tx.deleteFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.eq(code)).execute();
    }

    private void write(String code, Map<CustomerField, FieldProtector.Stored> values) {
        tx.deleteFrom(CUSTOMER_CORRECTION).where(CUSTOMER_CORRECTION.CODE.eq(code)).execute();
        if (values.isEmpty()) {
            corrected.remove(code);
            return;
        }
        CustomerCorrectionRecord row = tx.newRecord(CUSTOMER_CORRECTION);
        row.setCode(code);
        values.forEach((field, stored) -> {
            row.set(CUSTOMER_CORRECTION.field(field.column(), String.class), stored.value());
            field.blindIndexColumn().ifPresent(c -> row.set(CUSTOMER_CORRECTION.field(c, String.class),
                    stored.blindIndex()));
        });
        row.setCorrectedAt(OffsetDateTime.now());
        row.insert();
        corrected.add(code);
    }
}
