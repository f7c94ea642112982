package cim.cli.quality;

import cim.cli.render.Table;
import cim.core.quality.QualityCheck;
import cim.core.quality.RuleStatus;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A quality report as data (JSON), tables (people) and JUnit XML (CI systems). */
final class Reports {
    private Reports() {
    }

    static Map<String, Object> data(QualityCheck.Report report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", report.run());
        data.put("scope", report.scope().name().toLowerCase(Locale.ROOT));
        data.put("score", report.score());
        data.put("status", report.status().text());
        data.put("records", report.records());
        data.put("rules", report.rules().stream().map(o -> outcome(o, null, null)).toList());
        if (report.by() == QualityCheck.By.BRANCH) {
            data.put("branches", report.channels().stream().map(o -> outcome(o, "branch", null)).toList());
        } else {
            data.put("channels", report.channels().stream().map(o -> outcome(o, "channel", report.owners()))
                    .toList());
        }
        data.put("seconds", Math.round(report.seconds() * 100) / 100.0);
        data.put("unreadable", report.unreadable());
        return data;
    }

    /** A rule's outcome; a group's (channel or branch) names it under {@code group}, a channel also its owner. */
    private static Map<String, Object> outcome(QualityCheck.Outcome o, String group, Map<String, String> owners) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (o.channel() != null) {
            row.put(group, o.channel());
            if (owners != null) {
                row.put("owner", owners.get(o.channel()));
            }
        }
        row.put("id", o.rule().id());
        row.put("dimension", o.rule().dimension().id());
        row.put("field", o.rule().field() == null ? null : o.rule().field().column());
        row.put("severity", o.rule().severity().id());
        row.put("threshold", o.rule().threshold().toString());
        row.put("checked", o.checked());
        row.put("failed", o.failed());
        row.put("waived", o.waived());
        row.put("ratio", Math.round(o.ratio() * 1_000_000) / 1_000_000.0);
        row.put("status", o.status().text());
        row.put("samples", o.samples());
        return row;
    }

    /** The breached rules of a status, for a message: "person.name.present, org.uscc.checksum". */
    static String breached(QualityCheck.Report report, RuleStatus status) {
        List<String> ids = report.rules().stream().filter(o -> o.status() == status).map(o -> o.rule().id())
                .toList();
        return ids.size() + " rule" + (ids.size() == 1 ? "" : "s") + " at " + status + " level breached: "
                + String.join(", ", ids);
    }

    static Table table(QualityCheck.Report report) {
        Table table = new Table("rule", "dimension", "field", "severity", "threshold", "checked", "failed", "ratio",
                "status");
        for (QualityCheck.Outcome o : report.rules()) {
            table.row(o.rule().id(), o.rule().dimension().id(), o.rule().field() == null ? "" : o.rule().field().column(),
                    o.rule().severity().id(), o.rule().threshold(), o.checked(), o.failed(), percent(o.ratio()),
                    o.status());
        }
        return table;
    }

    /** For people: the summary, the rules, and for source scope each channel's breached rules and score. */
    static void print(PrintWriter out, QualityCheck.Report report) {
        Table.keyValue().row("run", report.run()).row("scope", report.scope().name().toLowerCase(Locale.ROOT))
                .row("records", report.records()).row("score", report.score() + "%")
                .row("status", report.status()).row("seconds", Math.round(report.seconds() * 100) / 100.0)
                .printAligned(out, false);
        out.println();
        table(report).printAligned(out, true);
        if (!report.channels().isEmpty()) {
            out.println();
            boolean byBranch = report.by() == QualityCheck.By.BRANCH;
            out.println(byBranch ? "Per branch:" : "Per channel:");
            Table channels = byBranch ? new Table("branch", "records checked", "score", "breached rules")
                    : new Table("channel", "owner", "records checked", "score", "breached rules");
            Map<String, List<QualityCheck.Outcome>> byChannel = report.channels().stream()
                    .collect(Collectors.groupingBy(QualityCheck.Outcome::channel, java.util.TreeMap::new,
                            Collectors.toList()));
            byChannel.forEach((channel, outcomes) -> {
                long records = outcomes.stream().mapToLong(QualityCheck.Outcome::checked).max().orElse(0);
                String breached = outcomes.stream().filter(o -> o.status() != RuleStatus.PASS)
                        .map(o -> o.rule().id() + " (" + o.status() + ")").collect(Collectors.joining(", "));
                if (byBranch) {
                    channels.row(channel, records, QualityCheck.score(outcomes) + "%", breached);
                } else {
                    channels.row(channel, report.owners().getOrDefault(channel, "(not registered)"), records,
                            QualityCheck.score(outcomes) + "%", breached);
                }
            });
            channels.printAligned(out, true);
        }
        out.flush();
    }

    /** JUnit XML: one test suite, a test case per rule (per channel too for source scope), failures for breaches. */
    static String junit(QualityCheck.Report report) {
        List<QualityCheck.Outcome> all = new ArrayList<>(report.rules());
        all.addAll(report.channels());
        long failures = all.stream().filter(o -> o.status() == RuleStatus.FAIL).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"cim quality ").append(report.scope().name().toLowerCase(Locale.ROOT))
                .append("\" tests=\"").append(all.size()).append("\" failures=\"").append(failures)
                .append("\" errors=\"0\" skipped=\"0\" time=\"").append(String.format(Locale.ROOT, "%.3f",
                        report.seconds())).append("\">\n");
        xml.append("  <properties>\n    <property name=\"run\" value=\"").append(report.run())
                .append("\"/>\n    <property name=\"score\" value=\"").append(report.score()).append("\"/>\n")
                .append("  </properties>\n");
        for (QualityCheck.Outcome o : all) {
            xml.append("  <testcase classname=\"").append(escape(o.channel() == null ? o.rule().dimension().id()
                            : o.channel() + "." + o.rule().dimension().id())).append("\" name=\"")
                    .append(escape(o.rule().id())).append("\">\n");
            String summary = o.failed() + " of " + o.checked() + " failed (" + percent(o.ratio()) + ", threshold "
                    + o.rule().threshold() + ")";
            if (o.status() == RuleStatus.FAIL) {
                xml.append("    <failure message=\"").append(escape(summary)).append("\" type=\"")
                        .append(o.rule().severity().id()).append("\">").append(escape(o.rule().description()
                                + "; first failing: " + String.join(", ", o.samples()))).append("</failure>\n");
            } else {
                xml.append("    <system-out>").append(escape(o.status() == RuleStatus.WARN ? "WARNING: " + summary
                        : summary)).append("</system-out>\n");
            }
            xml.append("  </testcase>\n");
        }
        return xml.append("</testsuite>\n").toString();
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
