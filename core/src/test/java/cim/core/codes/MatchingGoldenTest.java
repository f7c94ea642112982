package cim.core.codes;

import cim.core.db.Backend;
import cim.core.db.schema.tables.records.SourceRecordRecord;
import cim.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static cim.core.db.schema.Tables.SOURCE_RECORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher's scores, explanations and blocking keys on the sample data, against an approved summary: a change of
 * weight, wording or key is seen here (approve an intended one with -Dcim.approve=true and review the diff).
 * Every pair of records that shares a blocking key is compared, as the matcher compares them, and again without
 * their identifiers (so that the scored rules are reached), with a spread of unrelated pairs.
 */
class MatchingGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/matching/golden.txt");

    /** The record as a channel without identifiers sends it, so that the pair is scored on the other fields. */
    private static MatchRecord withoutIdentifiers(MatchRecord r) {
        MatchValues v = r.values();
        return new MatchRecord(r.stored(), new MatchValues(v.type(), v.name(), Identifier.NONE, v.birthDate(),
                v.gender(), v.mobile(), v.phone(), v.email(), v.address(), v.district(), Identifier.NONE,
                Identifier.NONE));
    }

    @Test
    void scoresExplanationsAndKeysAreTheApprovedOnes() throws Exception {
        List<MatchRecord> records = new ArrayList<>();
        try (TestDatabase testDb = TestDatabase.create(Backend.H2)) {
            CodesFixtures.Loaded loaded = CodesFixtures.load(testDb, 3000);
            for (SourceRecordRecord r : loaded.db().dsl().selectFrom(SOURCE_RECORD).orderBy(SOURCE_RECORD.ID)) {
                records.add(MatchRecord.of(r, loaded.protector()));
            }
            loaded.db().close();
        }
        MessageDigest keysDigest = MessageDigest.getInstance("SHA-256");
        Map<String, List<Integer>> blocks = new HashMap<>();
        Map<String, Integer> keyKinds = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (MatchKeys.Value key : MatchKeys.values(records.get(i).values())) {
                keysDigest.update((i + " " + key.limit() + " " + key.canonical() + "\n").getBytes(StandardCharsets.UTF_8));
                blocks.computeIfAbsent(key.canonical(), k -> new ArrayList<>()).add(i);
                keyKinds.merge(key.canonical().substring(0, key.canonical().indexOf(':')) + " limit " + key.limit(), 1,
                        Integer::sum);
            }
        }
        TreeSet<Long> pairs = new TreeSet<>();
        for (List<Integer> block : blocks.values()) {
            for (int a = 0; a < block.size(); a++) {
                for (int b = a + 1; b < block.size(); b++) {
                    pairs.add((long) block.get(a) * records.size() + block.get(b));
                }
            }
        }
        for (int i = 0; i + 1 < records.size(); i += 7) {
            pairs.add((long) i * records.size() + i + 1);
        }
        MessageDigest verdictsDigest = MessageDigest.getInstance("SHA-256");
        Map<String, Integer> findings = new TreeMap<>();
        for (long pair : pairs) {
            MatchRecord a = records.get((int) (pair / records.size()));
            MatchRecord b = records.get((int) (pair % records.size()));
            for (boolean identified : new boolean[] {true, false}) {
                Comparison.Verdict verdict = identified ? Comparison.compare(a, b)
                        : Comparison.compare(withoutIdentifiers(a), withoutIdentifiers(b));
                verdictsDigest.update((pair + " " + verdict.rule() + " " + verdict.score() + " " + verdict.conflict()
                        + " " + verdict.explanation() + "\n").getBytes(StandardCharsets.UTF_8));
                findings.merge("rule " + verdict.rule(), 1, Integer::sum);
                verdict.explanation().forEach((field, finding) -> findings.merge(field + ": " + finding, 1,
                        Integer::sum));
            }
        }
        StringBuilder summary = new StringBuilder();
        summary.append("records ").append(records.size()).append('\n');
        summary.append("keys sha256 ").append(HexFormat.of().formatHex(keysDigest.digest())).append('\n');
        keyKinds.forEach((kind, n) -> summary.append("key ").append(kind).append(": ").append(n).append('\n'));
        summary.append("pairs ").append(pairs.size()).append('\n');
        summary.append("verdicts sha256 ").append(HexFormat.of().formatHex(verdictsDigest.digest())).append('\n');
        findings.forEach((finding, n) -> summary.append(finding).append(": ").append(n).append('\n'));
        if (Boolean.getBoolean("cim.approve")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, summary.toString());
        }
        assertThat(summary.toString()).isEqualTo(Files.readString(GOLDEN));
    }
}
