package cim.core.codes;

import org.jooq.DSLContext;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static cim.core.db.schema.Tables.CUSTOMER;
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
        return new Separations(all(dsl), true);
    }

    /**
     * Every pair a steward separated, as {@link CodeAssigner#pair} writes it (what another engine's run is given),
     * and the same pair of the customers they are now: a separated customer merged into another since passes its
     * separation on to it.
     */
    static Set<String> all(DSLContext dsl) {
        Set<String> pairs = new HashSet<>();
        var a = CUSTOMER.as("a");
        var b = CUSTOMER.as("b");
        dsl.select(CODE_SEPARATION.CODE_A, CODE_SEPARATION.CODE_B, a.MERGED_INTO, b.MERGED_INTO)
                .from(CODE_SEPARATION)
                .leftJoin(a).on(a.CODE.eq(CODE_SEPARATION.CODE_A))
                .leftJoin(b).on(b.CODE.eq(CODE_SEPARATION.CODE_B))
                .forEach(r -> {
                    pairs.add(CodeAssigner.pair(r.value1(), r.value2()));
                    pairs.add(CodeAssigner.pair(r.value3() != null ? r.value3() : r.value1(),
                            r.value4() != null ? r.value4() : r.value2()));
                });
        return pairs;
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
