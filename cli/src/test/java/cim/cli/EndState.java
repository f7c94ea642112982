package cim.cli;

import cim.core.db.Backend;
import cim.core.json.Json;
import cim.core.testing.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a run of commands leaves, compared across runs that should end alike (one uninterrupted, one under faults or
 * with writers at once): the partition of records into customers (codes may differ, as a rolled-back chunk leaves a
 * gap in the sequence, but not who is with whom), the rows stored, the tier registry, the export file's lines, and
 * the exits of {@code audit verify} and {@code tiers verify}.
 */
record EndState(Set<Set<String>> partition, Map<String, Object> rows, String tiers, int exportLines, int audit,
                int tiersVerify) {

    /** The state of the runner's database, with its export file ({@code golden.csv} in {@link #out}). */
    static EndState of(CliRunner cim) throws IOException {
        Map<String, Set<String>> byCode = new TreeMap<>();
        for (String line : xref(cim)) {
            String[] cells = line.split(",");
            byCode.computeIfAbsent(cells[2], c -> new TreeSet<>()).add(cells[0] + "/" + cells[1]);
        }
        CliRunner.Result status = cim.require("db", "status", "-o", "json");
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) ((Map<String, Object>) Json.readMap(status.out())
                .get("data")).get("rows");
        Map<String, Object> rows = new TreeMap<>(counts);
        // the batches and audit events of killed runs are history, not data: the rest must match
        rows.remove("import_batch");
        rows.remove("audit_event");
        String tiers = cim.require("tiers", "list", "-o", "csv").out();
        Path export = out(cim).resolve("golden.csv");
        int exportLines = Files.exists(export) ? Files.readAllLines(export).size() : -1;
        Set<Set<String>> partition = byCode.values().stream().collect(Collectors.toSet());
        return new EndState(partition, rows, tiers, exportLines, cim.run("audit", "verify").exit(),
                cim.run("tiers", "verify").exit());
    }

    /** A runner on this test database (the embedded file in its own home for H2), with a new keyset. */
    static CliRunner runner(TestDatabase db, String name) {
        Path dir = db.directory().resolve(name);
        Path keyset = dir.resolve("keyset.json");
        CliRunner cim = new CliRunner(dir).env("CIM_KEYSET", keyset.toString());
        if (db.backend() == Backend.POSTGRESQL) {
            cim.env("CIM_DB_URL", db.url());
        }
        cim.require("keys", "init", "--out", keyset.toString());
        cim.require("db", "migrate");
        cim.channels(CliRunner.SAMPLE_CHANNELS);
        try {
            Files.createDirectories(out(cim));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cim;
    }

    /** Where the runner's quality failures and export go (its own directory, made by {@link #runner}). */
    static Path out(CliRunner cim) {
        return Path.of(cim.env().get("XDG_CONFIG_HOME")).resolveSibling("out");
    }

    /** The lines of {@code codes xref -o csv}, header aside: source, key, code. */
    static List<String> xref(CliRunner cim) {
        CliRunner.Result xref = cim.require("codes", "xref", "-o", "csv");
        return xref.out().lines().skip(1).toList();
    }
}
