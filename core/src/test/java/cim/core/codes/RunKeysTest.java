package cim.core.codes;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunKeysTest {
    private static String code(long sequence) {
        return CustomerCode.of(sequence % 7 == 0, sequence).value();
    }

    private static long hash(Random random) {
        return random.nextLong();
    }

    /** Whatever is added, the keys give back what a map of sets would: each code once, in the order given. */
    @Property(tries = 20)
    void keepsEveryKeysCodesInTheOrderGiven(@ForAll @IntRange(min = 1, max = 200_000) int additions,
                                             @ForAll long seed) {
        Random random = new Random(seed);
        List<Long> hashes = new ArrayList<>();
        Map<Long, Set<String>> expected = new LinkedHashMap<>();
        RunKeys keys = new RunKeys();
        for (int i = 0; i < additions; i++) {
            long hash = hashes.isEmpty() || random.nextInt(3) == 0 ? hash(random)
                    : hashes.get(random.nextInt(hashes.size()));
            if (!expected.containsKey(hash)) {
                hashes.add(hash);
            }
            String code = code(1 + random.nextInt(additions));
            keys.add(hash, code);
            expected.computeIfAbsent(hash, h -> new LinkedHashSet<>()).add(code);
        }
        assertThat(keys.codes(hashes)).isEqualTo(expected);
        assertThat(keys.codes(List.of(hash(random)))).isEmpty();
    }

    @Test
    void aMergedCodesKeysLeadToItsSurvivorThroughEveryLaterMerge() {
        RunKeys keys = new RunKeys();
        String a = code(1);
        String b = code(2);
        String c = code(14);
        keys.add(0xaaL, a);
        keys.add(0xbbL, b);
        keys.add(0xbbL, a);
        keys.merged(b, a);
        assertThat(keys.codes(List.of(0xbbL))).containsExactly(Map.entry(0xbbL, Set.of(a)));
        keys.merged(a, c);
        assertThat(keys.codes(List.of(0xaaL, 0xbbL)))
                .containsExactly(Map.entry(0xaaL, Set.of(c)), Map.entry(0xbbL, Set.of(c)));
    }

    @Test
    void aCrowdedKeyIsNotFollowedNorKept() {
        RunKeys keys = new RunKeys();
        keys.add(0x0123456789abcdefL, code(1));
        keys.crowd(0x0123456789abcdefL);
        keys.add(0x0123456789abcdefL, code(2));
        assertThat(keys.crowded(0x0123456789abcdefL)).isTrue();
        assertThat(keys.codes(List.of(0x0123456789abcdefL))).isEmpty();
    }

    @Property(tries = 200)
    void aCodeIsHeldAsANumberAndGivenBackTheSame(@ForAll boolean organisation,
                                                 @ForAll @IntRange(min = 1, max = 999_999_999) int sequence) {
        String code = CustomerCode.of(organisation, sequence).value();
        assertThat(RunKeys.code(RunKeys.number(code))).isEqualTo(code);
    }
}
