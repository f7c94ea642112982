package cim.core.codes;

import java.io.Serializable;

/**
 * An identifier as the matcher holds it (resident ID, credit code, organisation code): its normalised value and
 * whether it is valid. Only a valid identifier links by itself; an invalid one still weighs.
 */
public record Identifier(String value, boolean valid) implements Serializable {
    static final Identifier NONE = new Identifier(null, false);

    static Identifier of(String value, boolean valid) {
        return value == null ? NONE : new Identifier(value, valid);
    }

    boolean present() {
        return value != null;
    }
}
