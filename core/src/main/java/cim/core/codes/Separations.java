package cim.core.codes;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import static cim.core.db.schema.Tables.CODE_SEPARATION;
import static cim.core.db.schema.Tables.CUSTOMER;
import static org.jooq.impl.DSL.selectOne;

/**
 * The pairs of customers a steward separated (an unmerge, a rejected review item): the matcher never merges them
 * by itself, nor through a third: a customer that took in one of them (before the run, or earlier in it) is
 * separated from the other too. A run reads them all once at its start while they are few, as stewards' decisions
 * are (none is made while the run holds its lock); past {@link #HELD_AT_MOST} each chunk reads those of the
 * customers it loaded and of those merged into them.
 */
final class Separations {
    static final int HELD_AT_MOST = 100_000;

    private final Set<String> pairs;
    private final boolean all;
    /** Held: each separated code's partners, to pass them to the customer it is merged into. */
    private final Map<String, Set<String>> partners = new HashMap<>();
    /** Read per chunk: the codes each customer took in during the run (merges a chunk may not see written yet). */
    private final Map<String, Set<String>> tookIn;

    private Separations(Set<String> pairs, boolean all, Map<String, Set<String>> tookIn) {
        this.pairs = pairs;
        this.all = all;
        this.tookIn = tookIn;
    }

    static Separations forRun(DSLContext dsl) {
        return forRun(dsl, HELD_AT_MOST);
    }

    static Separations forRun(DSLContext dsl, int heldAtMost) {
        if (dsl.fetchCount(selectOne().from(CODE_SEPARATION).limit(heldAtMost + 1)) > heldAtMost) {
            return new Separations(new HashSet<>(), false, new HashMap<>());
        }
        Separations held = new Separations(new HashSet<>(), true, Map.of());
        read(dsl, DSL.trueCondition(), held::add);
        return held;
    }

    /**
     * Every pair a steward separated, as {@link CodeAssigner#pair} writes it (what another engine's run is given),
     * and the same pair of the customers they are now: a separated customer merged into another since passes its
     * separation on to it.
     */
    static Set<String> all(DSLContext dsl) {
        Set<String> pairs = new HashSet<>();
        read(dsl, DSL.trueCondition(), (a, b) -> pairs.add(CodeAssigner.pair(a, b)));
        return pairs;
    }

    /** The separated pairs {@code which} selects, each also as the customers its codes were merged into since. */
    private static void read(DSLContext dsl, Condition which, BiConsumer<String, String> pair) {
        var a = CUSTOMER.as("a");
        var b = CUSTOMER.as("b");
        dsl.select(CODE_SEPARATION.CODE_A, CODE_SEPARATION.CODE_B, a.MERGED_INTO, b.MERGED_INTO)
                .from(CODE_SEPARATION)
                .leftJoin(a).on(a.CODE.eq(CODE_SEPARATION.CODE_A))
                .leftJoin(b).on(b.CODE.eq(CODE_SEPARATION.CODE_B))
                .where(which)
                .forEach(r -> {
                    pair.accept(r.value1(), r.value2());
                    pair.accept(r.value3() != null ? r.value3() : r.value1(),
                            r.value4() != null ? r.value4() : r.value2());
                });
    }

    private void add(String a, String b) {
        if (pairs.add(CodeAssigner.pair(a, b))) {
            partners.computeIfAbsent(a, c -> new HashSet<>()).add(b);
            partners.computeIfAbsent(b, c -> new HashSet<>()).add(a);
        }
    }

    /**
     * Those that concern any of {@code codes}: the run's own when it holds them all, else read now (with those of
     * the customers merged into them, before the run or in it).
     */
    Separations among(DSLContext dsl, Collection<String> codes) {
        if (all) {
            return this;
        }
        Separations found = new Separations(new HashSet<>(), true, Map.of());
        List<String> list = List.copyOf(codes);
        for (int from = 0; from < list.size(); from += Customers.SLICE) {
            List<String> slice = list.subList(from, Math.min(list.size(), from + Customers.SLICE));
            Set<String> with = new HashSet<>(slice);
            slice.forEach(code -> with.addAll(tookIn.getOrDefault(code, Set.of())));
            var a = CUSTOMER.as("a");
            var b = CUSTOMER.as("b");
            read(dsl, CODE_SEPARATION.CODE_A.in(with).or(CODE_SEPARATION.CODE_B.in(with))
                    .or(DSL.field(DSL.select(a.MERGED_INTO).from(a).where(a.CODE.eq(CODE_SEPARATION.CODE_A)))
                            .in(slice))
                    .or(DSL.field(DSL.select(b.MERGED_INTO).from(b).where(b.CODE.eq(CODE_SEPARATION.CODE_B)))
                            .in(slice)), found::add);
        }
        tookIn.forEach((survivor, absorbed) -> absorbed.forEach(code -> found.merged(code, survivor)));
        return found;
    }

    /**
     * A merge the run made: the customer that took {@code absorbed} in is separated from whatever it was, for the
     * rest of the run (the chunks after it read the survivor, not the code it took in).
     */
    void merged(String absorbed, String survivor) {
        if (!all) {
            Set<String> codes = tookIn.computeIfAbsent(survivor, c -> new HashSet<>());
            codes.add(absorbed);
            codes.addAll(tookIn.getOrDefault(absorbed, Set.of()));
            return;
        }
        for (String other : List.copyOf(partners.getOrDefault(absorbed, Set.of()))) {
            add(survivor, other);
        }
    }

    boolean separated(String a, String b) {
        return pairs.contains(CodeAssigner.pair(a, b));
    }
}
