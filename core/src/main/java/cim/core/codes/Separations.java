package cim.core.codes;

import org.jooq.DSLContext;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static org.jooq.impl.DSL.selectOne;

/**
 * The pairs of customers a steward separated (an unmerge, a rejected review item): the matcher never merges them
 * by itself. A run reads them all once at its start while they are few, as stewards' decisions are (none is made
 * while the run holds its lock); past {@link #HELD_AT_MOST} each chunk reads those of the customers it loaded.
 */
final class Separations {
    static final int HELD_AT_MOST = 100_000;

    private final Set<String> pairs;
    private final boolean all;

    private Separations(Set<String> pairs, boolean all) {
        this.pairs = pairs;
        this.all = all;
    }

    static Separations forRun(DSLContext dsl) {
        return forRun(dsl, HELD_AT_MOST);
    }

    static Separations forRun(DSLContext dsl, int heldAtMost) {
        if (dsl.fetchCount(selectOne().from(CODE_SEPARATION).limit(heldAtMost + 1)) > heldAtMost) {
            return new Separations(Set.of(), false);
        }
        Set<String> pairs = new HashSet<>();
        dsl.select(CODE_SEPARATION.CODE_A, CODE_SEPARATION.CODE_B).from(CODE_SEPARATION)
                .forEach(r -> pairs.add(CodeAssigner.pair(r.value1(), r.value2())));
        return new Separations(pairs, true);
    }

    /** Those that concern any of {@code codes}: the run's own when it holds them all, else read now. */
    Separations among(DSLContext dsl, Collection<String> codes) {
        if (all) {
            return this;
        }
        Set<String> found = new HashSet<>();
        List<String> list = List.copyOf(codes);
        for (int from = 0; from < list.size(); from += Customers.SLICE) {
            List<String> slice = list.subList(from, Math.min(list.size(), from + Customers.SLICE));
            dsl.select(CODE_SEPARATION.CODE_A, CODE_SEPARATION.CODE_B).from(CODE_SEPARATION)
                    .where(CODE_SEPARATION.CODE_A.in(slice).or(CODE_SEPARATION.CODE_B.in(slice)))
                    .forEach(r -> found.add(CodeAssigner.pair(r.value1(), r.value2())));
        }
        return new Separations(found, false);
    }

    boolean separated(String a, String b) {
        return pairs.contains(CodeAssigner.pair(a, b));
    }
}
