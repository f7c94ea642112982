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
    /** The codes of the existing customers it holds (its own and those it absorbed). */
    final java.util.Set<String> codes = new java.util.HashSet<>();
    Cluster absorbedBy;
    boolean changed;

    Cluster(boolean organisation, String code, int order) {
        this.organisation = organisation;
        this.order = order;
        this.code = code;
        this.existing = code != null;
        if (code != null) {
            codes.add(code);
        }
    }

    /**
     * Whether a steward separated any customer this one holds from any the other holds ({@code separated} tells
     * of two codes): a customer that absorbed one of two separated customers never takes in the other.
     */
    boolean separatedFrom(Cluster other, java.util.function.BiPredicate<String, String> separated) {
        for (String a : codes) {
            for (String b : other.codes) {
                if (separated.test(a, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Takes in another customer's records and the codes it holds; the other points here from now on. */
    void absorb(Cluster other) {
        records.addAll(other.records);
        codes.addAll(other.codes);
        other.absorbedBy = this;
    }

    /** Existing customers before new ones, the oldest code first: the survivor of a merge comes first. */
    static int age(Cluster a, Cluster b) {
        if (a.existing != b.existing) {
            return a.existing ? -1 : 1;
        }
        return a.existing ? a.code.compareTo(b.code) : Integer.compare(a.order, b.order);
    }

    /** The cluster this one ended up in (itself unless merged). */
    Cluster root() {
        Cluster c = this;
        while (c.absorbedBy != null) {
            c = c.absorbedBy;
        }
        return c;
    }

    /** The best verdict of a record against any of this customer's records; null if any conflicts. */
    Comparison.Verdict best(MatchRecord record) {
        Comparison.Verdict best = null;
        for (MatchRecord other : records) {
            Comparison.Verdict verdict = Comparison.compare(record, other);
            if (verdict.conflict()) {
                return null;
            }
            if (best == null || verdict.score() > best.score()) {
                best = verdict;
            }
        }
        return best;
    }

    /** Whether two customers may become one by their records: of one type, and no two records conflicting. */
    boolean compatible(Cluster other) {
        if (organisation != other.organisation) {
            return false;
        }
        for (MatchRecord a : records) {
            for (MatchRecord b : other.records) {
                if (Comparison.compare(a, b).conflict()) {
                    return false;
                }
            }
        }
        return true;
    }
}
