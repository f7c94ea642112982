package cim.cli.quality;

import cim.core.quality.QualityCheck;
import cim.core.quality.QualityRuns;
import cim.core.quality.RuleStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code quality check --format html}: one self-contained page for the channel owners and managers who read the
 * results: the score and status, a bar per rule against its threshold, a chart per channel (or branch) naming its
 * owner, and the score's trend over the runs of the same scope and filter. Inline CSS and SVG only; its policy
 * forbids scripts, loading anything, a base URL and forms, so it opens the same offline, in a mail client or on a
 * file share. It holds counts, rule names, channel codes and owners, never a record's key (those are in
 * {@code --failures}); with {@code --by branch}, the branches as the records name them. Every text is escaped, a
 * stored run's status too (any profile may insert runs). Each number is also a data- attribute, which the tests
 * compare with the JSON report.
 */
final class HtmlReport {
    private static final int BAR = 260;
    /** Narrower in a group's chart: two groups side by side. */
    private static final int GROUP_BAR = 190;

    private HtmlReport() {
    }

    /** @param history the newest runs first (as quality history lists them), this one among them */
    static String of(QualityCheck.Report report, List<QualityRuns.Run> history) {
        StringBuilder html = new StringBuilder(16_384);
        String scope = report.scope().name().toLowerCase(Locale.ROOT);
        html.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>cim quality check, run ").append(report.run()).append(" (").append(scope)
                .append(")</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<header>\n<h1>数据质量报告 · Data quality</h1>\n<p class=\"meta\">run ").append(report.run())
                .append(" · scope ").append(scope).append(" · ").append(String.format(Locale.ROOT, "%,d",
                        report.records())).append(" records checked</p>\n")
                .append("<div class=\"score ").append(report.status().text()).append("\" data-score=\"")
                .append(report.score()).append("\" data-status=\"").append(report.status().text()).append("\">")
                .append(String.format(Locale.ROOT, "%.2f%%", report.score())).append(" <span>")
                .append(report.status().text()).append("</span></div>\n")
                .append("<p class=\"meta\">score: the share of rule checks passed; a rule passes while its failures "
                        + "stay within its threshold (the mark on its bar)</p>\n</header>\n");

        html.append("<section>\n<h2>规则 · Rules</h2>\n<table class=\"rules\">\n<thead><tr><th>rule</th>")
                .append("<th>dimension</th><th>severity</th><th>checked</th><th>failed</th><th>ratio</th>")
                .append("<th>threshold</th><th>failures against the threshold</th><th>status</th></tr></thead>\n<tbody>\n");
        for (QualityCheck.Outcome o : report.rules()) {
            html.append("<tr data-rule=\"").append(escape(o.rule().id())).append("\" data-checked=\"")
                    .append(o.checked()).append("\" data-failed=\"").append(o.failed()).append("\" data-ratio=\"")
                    .append(ratio(o)).append("\" data-status=\"").append(o.status().text()).append("\">")
                    .append("<td class=\"id\" title=\"").append(escape(o.rule().description())).append("\">")
                    .append(escape(o.rule().id())).append("</td><td>").append(o.rule().dimension().id())
                    .append("</td><td>").append(o.rule().severity().id()).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%,d", o.checked())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%,d", o.failed())).append("</td><td class=\"n\">")
                    .append(Reports.percent(o.ratio())).append("</td><td class=\"n\">").append(o.rule().threshold())
                    .append("</td><td>").append(bar(o)).append("</td><td class=\"status ")
                    .append(o.status().text()).append("\">").append(o.status().text()).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");

        if (!report.channels().isEmpty()) {
            boolean byBranch = report.by() == QualityCheck.By.BRANCH;
            html.append("<section>\n<h2>").append(byBranch ? "分支机构 · Branches" : "渠道 · Channels")
                    .append("</h2>\n<div class=\"groups\">\n");
            Map<String, List<QualityCheck.Outcome>> groups = new TreeMap<>();
            report.channels().forEach(o -> groups.computeIfAbsent(o.channel(), g -> new ArrayList<>()).add(o));
            groups.forEach((group, outcomes) -> {
                String owner = byBranch ? null : report.owners().getOrDefault(group, "(not registered)");
                double score = QualityCheck.score(outcomes);
                html.append("<div class=\"group\" data-").append(byBranch ? "branch" : "channel").append("=\"")
                        .append(escape(group)).append("\" data-score=\"").append(score).append("\"");
                if (owner != null) {
                    html.append(" data-owner=\"").append(escape(owner)).append("\"");
                }
                html.append(">\n<h3><bdi>").append(escape(group)).append("</bdi> <span class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.2f%%", score)).append("</span></h3>\n");
                if (owner != null) {
                    html.append("<p class=\"owner\">").append("负责部门 · owner: <bdi>").append(escape(owner))
                            .append("</bdi></p>\n");
                }
                html.append(groupChart(outcomes)).append("</div>\n");
            });
            html.append("</div>\n</section>\n");
        }

        List<QualityRuns.Run> trend = trend(report, history);
        html.append("<section>\n<h2>趋势 · Trend</h2>\n");
        if (trend.size() < 2) {
            html.append("<p class=\"meta\">the first run of this scope and filter: the trend starts with the next "
                    + "one</p>\n");
        } else {
            html.append(trendChart(trend));
        }
        html.append("</section>\n<footer>cim quality check --format html · run ").append(report.run())
                .append("</footer>\n</body>\n</html>\n");
        return html.toString();
    }

    /** The runs of this one's scope and filter, oldest first, at most the 30 newest. */
    static List<QualityRuns.Run> trend(QualityCheck.Report report, List<QualityRuns.Run> history) {
        QualityRuns.Run self = history.stream().filter(r -> r.id() == report.run()).findFirst().orElse(null);
        List<QualityRuns.Run> same = new ArrayList<>();
        for (QualityRuns.Run run : history) {
            if (self == null ? run.id() == report.run() : run.scope().equals(self.scope())
                    && java.util.Objects.equals(withoutSince(run.filter()), withoutSince(self.filter()))) {
                same.add(0, run);
            }
        }
        return same.size() > 30 ? same.subList(same.size() - 30, same.size()) : same;
    }

    /**
     * A run's filter without its "since" time, which is absolute when stored: the nightly --since 1d runs are one
     * series.
     */
    private static String withoutSince(String filter) {
        return filter == null ? null : filter.replaceAll("(^|, )since [^,]*", "").replaceFirst("^, ", "");
    }

    /** The failure ratio's bar, on a scale that shows the threshold's mark. */
    private static String bar(QualityCheck.Outcome o) {
        int width = scaled(o, o.ratio(), BAR);
        int mark = scaled(o, allowed(o), BAR);
        return "<svg width=\"" + (BAR + 2) + "\" height=\"16\" role=\"img\" aria-label=\"" + Reports.percent(o.ratio())
                + " failed, threshold " + o.rule().threshold() + "\"><rect x=\"1\" y=\"3\" width=\"" + BAR
                + "\" height=\"10\" class=\"track\"/><rect x=\"1\" y=\"3\" width=\"" + width + "\" height=\"10\" class=\""
                + o.status().text() + "\"/><line x1=\"" + (mark + 1) + "\" x2=\"" + (mark + 1)
                + "\" y1=\"0\" y2=\"16\" class=\"mark\"/></svg>";
    }

    /** A group's rules: one bar each, the rule's name beside it. */
    private static String groupChart(List<QualityCheck.Outcome> outcomes) {
        int row = 18;
        int label = 215;
        StringBuilder svg = new StringBuilder("<svg width=\"" + (label + GROUP_BAR + 60) + "\" height=\""
                + (outcomes.size() * row + 4) + "\" role=\"img\">");
        for (int i = 0; i < outcomes.size(); i++) {
            QualityCheck.Outcome o = outcomes.get(i);
            int y = i * row + 2;
            int width = scaled(o, o.ratio(), GROUP_BAR);
            int mark = scaled(o, allowed(o), GROUP_BAR);
            svg.append("<g data-rule=\"").append(escape(o.rule().id())).append("\" data-failed=\"").append(o.failed())
                    .append("\" data-checked=\"").append(o.checked()).append("\"><text x=\"0\" y=\"").append(y + 11)
                    .append("\">").append(escape(shorten(o.rule().id()))).append("</text><rect x=\"").append(label)
                    .append("\" y=\"").append(y + 2).append("\" width=\"").append(GROUP_BAR).append("\" height=\"10\" ")
                    .append("class=\"track\"/><rect x=\"").append(label).append("\" y=\"").append(y + 2)
                    .append("\" width=\"").append(width).append("\" height=\"10\" class=\"").append(o.status().text())
                    .append("\"/><line x1=\"").append(label + mark).append("\" x2=\"").append(label + mark)
                    .append("\" y1=\"").append(y).append("\" y2=\"").append(y + 14).append("\" class=\"mark\"/>")
                    .append("<text x=\"").append(label + GROUP_BAR + 6).append("\" y=\"").append(y + 11)
                    .append("\" class=\"n\">").append(Reports.percent(o.ratio())).append("</text></g>");
        }
        return svg.append("</svg>\n").toString();
    }

    /** The score over the runs: a line with a point per run. */
    private static String trendChart(List<QualityRuns.Run> runs) {
        int width = 640;
        int height = 180;
        int left = 44;
        double low = runs.stream().mapToDouble(r -> r.score().doubleValue()).min().orElse(0);
        double floor = Math.max(0, Math.floor((low - 5) / 10) * 10);
        double step = (width - left - 20) / (double) Math.max(1, runs.size() - 1);
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            QualityRuns.Run run = runs.get(i);
            double x = left + i * step;
            double y = 10 + (100 - run.score().doubleValue()) / (100 - floor) * (height - 40);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            // a stored run's status is a row any role with a profile may insert: only a known one is a class
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" class=\"%s\" "
                    + "data-run=\"%d\" data-score=\"%s\"><title>run %d, %s: %s%%</title></circle>", x, y,
                    knownStatus(run.status()), run.id(), run.score().toPlainString(), run.id(),
                    run.startedAt().toLocalDate(), run.score().toPlainString()));
        }
        double top = 10;
        double bottom = height - 30;
        return "<svg width=\"" + width + "\" height=\"" + height + "\" role=\"img\" class=\"trend\">"
                + "<line x1=\"" + left + "\" x2=\"" + (width - 10) + "\" y1=\"" + top + "\" y2=\"" + top
                + "\" class=\"grid\"/><line x1=\"" + left + "\" x2=\"" + (width - 10) + "\" y1=\"" + bottom
                + "\" y2=\"" + bottom + "\" class=\"grid\"/><text x=\"0\" y=\"" + (top + 4) + "\">100%</text>"
                + "<text x=\"0\" y=\"" + (bottom + 4) + "\">" + (int) floor + "%</text>"
                + "<polyline points=\"" + points.toString().strip() + "\" class=\"line\"/>" + dots
                + "<text x=\"" + left + "\" y=\"" + (height - 8) + "\">run " + runs.get(0).id() + "</text>"
                + "<text x=\"" + (width - 80) + "\" y=\"" + (height - 8) + "\">run " + runs.get(runs.size() - 1).id()
                + "</text></svg>\n";
    }

    private static String knownStatus(String status) {
        for (RuleStatus known : RuleStatus.values()) {
            if (known.text().equals(status)) {
                return status;
            }
        }
        return "unknown";
    }

    /** A ratio as a length of a rule's bar, whose scale leaves room for both its failures and its threshold. */
    private static int scaled(QualityCheck.Outcome o, double ratio, int length) {
        double scale = Math.max(Math.max(o.ratio(), allowed(o)) * 1.25, 0.01);
        return (int) Math.round(ratio / scale * length);
    }

    /** The ratio of failures the threshold allows: its percentage, or its count over the records checked. */
    private static double allowed(QualityCheck.Outcome o) {
        double value = o.rule().threshold().value();
        return o.rule().threshold().percent() ? value / 100 : o.checked() == 0 ? 0 : Math.min(1, value / o.checked());
    }

    /** As the JSON report rounds it. */
    private static double ratio(QualityCheck.Outcome o) {
        return Math.round(o.ratio() * 1_000_000) / 1_000_000.0;
    }

    private static String shorten(String id) {
        return id.length() > 30 ? id.substring(0, 29) + "…" : id;
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static final String STYLE = """
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                   "WenQuanYi Micro Hei", sans-serif; margin: 24px auto; max-width: 1100px; color: #1f2933;
                   background: #fff; }
            h1 { font-size: 24px; margin: 0 0 4px; }
            h2 { font-size: 18px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; margin-top: 28px; }
            h3 { font-size: 15px; margin: 0 0 2px; }
            .meta, .owner, footer { color: #616e7c; font-size: 13px; margin: 2px 0; }
            .score { font-size: 40px; font-weight: 700; margin: 8px 0; }
            .score span { font-size: 16px; padding: 2px 10px; border-radius: 10px; color: #fff;
                          vertical-align: middle; }
            .score.pass span, td.status.pass { background: #2e7d32; }
            .score.warn span, td.status.warn { background: #f9a825; }
            .score.fail span, td.status.fail { background: #c62828; }
            table.rules { border-collapse: collapse; width: 100%; font-size: 13px; }
            table.rules th, table.rules td { padding: 3px 6px; border-bottom: 1px solid #eef2f6; text-align: left; }
            td.n, span.n { text-align: right; font-variant-numeric: tabular-nums; }
            td.status { color: #fff; text-align: center; border-radius: 4px; }
            td.id { font-family: monospace; }
            svg text { font-size: 11px; fill: #3e4c59; font-family: monospace; }
            rect.track { fill: #eef2f6; }
            rect.pass, circle.pass { fill: #2e7d32; }
            rect.warn, circle.warn { fill: #f9a825; }
            rect.fail, circle.fail { fill: #c62828; }
            line.mark { stroke: #1f2933; stroke-width: 2; }
            line.grid { stroke: #d9e2ec; }
            polyline.line { fill: none; stroke: #3e4c59; stroke-width: 2; }
            .groups { display: flex; flex-wrap: wrap; gap: 16px; }
            .group { border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 12px; }
            footer { margin-top: 28px; }
            """;
}
