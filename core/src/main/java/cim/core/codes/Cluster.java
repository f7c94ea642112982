package cim.core.codes;

import java.util.ArrayList;
import java.util.List;

/**
 * A customer as one chunk of {@code codes assign} knows it: existing (with its code) or new in the chunk, its
 * records, the existing customers it absorbed, and whether it changed. A merged cluster points at its survivor.
 */
final class Cluster {
    /** An existing customer merged into another in the chunk, its records, and the verdict that tied them. */
    record Absorbed(String code, List<MatchRecord> records, Comparison.Verdict why) { }

    final boolean organisation;
    final int order;
    String code;
    final boolean existing;
    final List<MatchRecord> records = new ArrayList<>();
    final List<Absorbed> absorbed = new ArrayList<>();
    Cluster absorbedBy;
    boolean changed;

    Cluster(boolean organisation, String code, int order) {
        this.organisation = organisation;
        this.order = order;
        this.code = code;
        this.existing = code != null;
    }

    /** The cluster this one ended up in (itself unless merged). */
    Cluster root() {
        Cluster c = this;
        while (c.absorbedBy != null) {
            c = c.absorbedBy;
        }
        return c;
    }
}
