package cim.core.quality;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A check's tallies, taken over parts of the records in any order and added up (as {@code --engine spark} does over
 * partitions), equal those of one pass: the same counts, and the same failing keys named (the five smallest).
 */
class TalliesTest {
    private static final List<Rule> RULES = RulesFile.defaults().rules().subList(0, 2);

    @Test
    void partsAddedUpInAnyOrderGiveOnePassesTallies() throws Exception {
        List<Verdicts> verdicts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte first = i % 3 == 0 ? Verdicts.FAILED : i % 3 == 1 ? Verdicts.PASSED : Verdicts.WAIVED;
            byte second = i % 4 == 0 ? Verdicts.NOT_APPLICABLE : Verdicts.FAILED;
            verdicts.add(new Verdicts(QualityRecord.of(String.format("K%03d", i), false, Map.of()),
                    new byte[] {first, second}, new String[2]));
        }
        QualityScan.Tallies whole = new QualityScan.Tallies(RULES.size());
        verdicts.forEach(v -> whole.add(v, RULES, QualityCheck.By.CHANNEL));
        assertThat(whole.total.samples.get(0)).containsExactly("K000", "K003", "K006", "K009", "K012");

        for (long seed = 1; seed <= 5; seed++) {
            List<Verdicts> shuffled = new ArrayList<>(verdicts);
            Collections.shuffle(shuffled, new Random(seed));
            List<QualityScan.Tallies> parts = new ArrayList<>();
            for (int from = 0; from < shuffled.size(); from += 7) {
                QualityScan.Tallies part = new QualityScan.Tallies(RULES.size());
                shuffled.subList(from, Math.min(shuffled.size(), from + 7))
                        .forEach(v -> part.add(v, RULES, QualityCheck.By.CHANNEL));
                parts.add(roundTrip(part));
            }
            Collections.shuffle(parts, new Random(seed));
            QualityScan.Tallies sum = parts.get(0);
            for (QualityScan.Tallies part : parts.subList(1, parts.size())) {
                sum = sum.plus(part);
            }
            assertThat(sum.records).isEqualTo(whole.records);
            for (int r = 0; r < RULES.size(); r++) {
                assertThat(sum.total.checked[r]).isEqualTo(whole.total.checked[r]);
                assertThat(sum.total.failed[r]).isEqualTo(whole.total.failed[r]);
                assertThat(sum.total.waived[r]).isEqualTo(whole.total.waived[r]);
                assertThat(sum.total.samples.get(r)).as("seed " + seed).isEqualTo(whole.total.samples.get(r));
            }
        }
    }

    /** As a Spark task's result travels: serialized and read back. */
    private static QualityScan.Tallies roundTrip(QualityScan.Tallies tallies) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(tallies);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (QualityScan.Tallies) in.readObject();
        }
    }
}
