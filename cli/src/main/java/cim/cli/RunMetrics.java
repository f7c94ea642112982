package cim.cli;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.io.AtomicFile;
import cim.core.quality.QualityCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's metrics for {@code --metrics-file}, in the Prometheus text format that node_exporter's textfile collector
 * reads: the command, its exit code, duration and end time; the rows its summary counts (read, accepted, rejected,
 * linked, new codes, ...); a quality check's score, overall and per channel; the audit trail's head.
 * Every series carries the command as a label. Written atomically when the run ends, successful or not.
 */
public final class RunMetrics {
    /** The counts of a command's summary that are rows: its other numbers are ids, versions or seconds. */
    private static final List<String> ROW_KINDS = List.of("read", "accepted", "rejected", "skipped", "examined",
            "linked", "new_codes", "merged", "review", "refreshed", "refused", "rows", "records", "values");

    private final String command;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private QualityCheck.Report quality;
    private Long auditHead;

    RunMetrics(String command) {
        this.command = command;
    }

    /** The summary a command printed (or would have, under --quiet): its row counts are kept. */
    void result(Object data) {
        if (data instanceof Map<?, ?> map) {
            for (String kind : ROW_KINDS) {
                if (map.get(kind) instanceof Number n && !(n instanceof Double) && !(n instanceof Float)) {
                    rows.put(kind, n.longValue());
                }
            }
        }
    }

    public void quality(QualityCheck.Report report) {
        this.quality = report;
    }

    void auditHead(long seq) {
        this.auditHead = seq;
    }

    /**
     * Where the metrics go: the file given, or, when that is a directory (node_exporter's textfile directory, set
     * once in the config file for every command), {@code cim_<command>.prom} in it, so that the steps of a nightly
     * chain do not overwrite each other's.
     */
    static Path file(Path setting, String command) {
        if (Files.isDirectory(setting)) {
            return setting.resolve("cim_" + command.replace(' ', '_').replace('-', '_') + ".prom");
        }
        return setting;
    }

    /** Fails before the run does anything when its metrics could not be written at its end (exit 78). */
    static void checkWritable(Path setting) {
        Path dir = Files.isDirectory(setting) ? setting : setting.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new CimException(Failure.CONFIGURATION, "--metrics-file " + setting + ": the directory "
                    + (dir == null ? "" : dir + " ") + "does not exist or is not writable, so the run's metrics "
                    + "could not be written", "point --metrics-file (CIM_METRICS_FILE, metrics.file) at a file in a "
                    + "directory this user may write, such as node_exporter's textfile directory");
        }
    }

    void write(Path setting, int exit) {
        try (AtomicFile out = AtomicFile.create(file(setting, command)).readableByOthers()) {
            out.write(render(exit, Instant.now()));
            out.commit();
        }
    }

    String render(int exit, Instant end) {
        StringBuilder text = new StringBuilder();
        String label = "command=\"" + escape(command) + "\"";
        gauge(text, "cim_run_exit_code", "exit code of the run (0: success; see cim --help)",
                List.of(series(label, exit)));
        gauge(text, "cim_run_duration_seconds", "how long the run took",
                List.of(series(label, String.format(Locale.ROOT, "%.3f", (System.nanoTime() - startedNanos) / 1e9))));
        gauge(text, "cim_run_end_timestamp_seconds", "when the run ended (alert when it is too old: a cron job that "
                + "did not run)", List.of(series(label, String.format(Locale.ROOT, "%.3f", end.toEpochMilli() / 1e3))));
        if (!rows.isEmpty()) {
            List<String> lines = new ArrayList<>();
            rows.forEach((kind, n) -> lines.add(series(label + ",kind=\"" + kind + "\"", n)));
            gauge(text, "cim_run_rows", "the rows the run's summary counts, by kind (read, accepted, rejected, "
                    + "linked, new_codes, ...)", lines);
        }
        if (quality != null) {
            String scope = label + ",scope=\"" + quality.scope().name().toLowerCase(Locale.ROOT) + "\"";
            gauge(text, "cim_quality_score", "the quality check's score: percent of checks passed",
                    List.of(series(scope, quality.score())));
            // per channel only: a channel is a registered code ([a-z0-9_-]), while a branch is the records' own
            // free text, which a shifted column could fill with a name or an ID number (this file is world-readable)
            Map<String, List<QualityCheck.Outcome>> channels = new TreeMap<>();
            if (quality.by() == QualityCheck.By.CHANNEL) {
                for (QualityCheck.Outcome outcome : quality.channels()) {
                    channels.computeIfAbsent(outcome.channel(), g -> new ArrayList<>()).add(outcome);
                }
            }
            if (!channels.isEmpty()) {
                List<String> lines = new ArrayList<>();
                channels.forEach((name, outcomes) -> lines.add(series(scope + ",channel=\"" + escape(name) + "\"",
                        QualityCheck.score(outcomes))));
                gauge(text, "cim_quality_channel_score", "the quality check's score per channel", lines);
            }
        }
        if (auditHead != null) {
            gauge(text, "cim_audit_head_sequence", "the sequence number of the audit trail's newest event",
                    List.of(series(label, auditHead)));
        }
        return text.toString();
    }

    private static void gauge(StringBuilder text, String name, String help, List<String> series) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
        series.forEach(line -> text.append(name).append(line).append('\n'));
    }

    private static String series(String labels, Object value) {
        return "{" + labels + "} " + value;
    }

    /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
