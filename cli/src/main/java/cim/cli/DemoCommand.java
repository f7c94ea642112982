package cim.cli;

import cim.core.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `cim demo`: the whole job, as far as cim does it today, on a database of its own, so that it never touches
 * real data. Each step is a real cim command, printed before it runs, so the demo doubles as a tutorial.
 */
@Command(name = DemoCommand.NAME, sortOptions = false,
        header = "Run the whole job on sample data, showing each command.",
        description = {"Uses a fresh embedded database under <home>/demo (never your real data) unless --db names "
                + "one. Steps: migrate the schema, register the channels with the departments answerable for them "
                + "(Art. 4.3), import the sample files of three channels (samples/agent.csv, "
                + "samples/web.jsonl, samples/wechat.csv), generate and import 2,000 synthetic records, show the "
                + "policy, assign customer codes (张三 of the agent file and of the web file become one customer: show "
                + "it, with why; the WeChat follower known only by name and WeChat ID is refused a code by the admission "
                + "rules: list the records waiting), find 张三 by his mobile as he would give it (+86, blanks; read from "
                + "standard input), write his access report and show who used his data and why, list the review queue, "
                + "export "
                + "the golden records masked, show the "
                + "database status, list the information tiers, reclassify a field, "
                + "show the keys, show the audit trail and verify it, and end with a quality report per channel (with the "
                + "rules file samples/quality-rules.yaml).",
            "",
            "Exit code: that of the first step that fails, else 0."})
public final class DemoCommand implements Callable<Integer> {
    public static final String NAME = "demo";

    private static final List<String> SAMPLES = List.of("agent.csv", "web.jsonl", "wechat.csv", "quality-rules.yaml");

    private static final List<List<String>> STEPS = List.of(
            List.of("db", "migrate"),
            List.of("channels", "add", "agent", "--name", "个人代理", "--owner", "个人业务部"),
            List.of("channels", "add", "web", "--name", "官网", "--owner", "电子商务部"),
            List.of("channels", "add", "wechat", "--name", "微信公众号", "--owner", "电子商务部"),
            List.of("channels", "add", "direct", "--name", "直销", "--owner", "直销业务部"),
            List.of("channels", "add", "telesales", "--name", "电话销售", "--owner", "电销中心"),
            List.of("channels", "add", "bank", "--name", "银行保险", "--owner", "银保业务部"),
            List.of("channels", "add", "broker", "--name", "保险经纪", "--owner", "中介业务部"),
            List.of("channels", "add", "car", "--name", "车联网", "--owner", "车险事业部"),
            List.of("channels", "list"),
            List.of("import", "{samples}/agent.csv", "--source", "agent", "--rejects", "{samples}/rejects.csv"),
            List.of("import", "{samples}/web.jsonl", "--source", "web"),
            List.of("import", "{samples}/wechat.csv", "--source", "wechat"),
            List.of("sample", "generate", "2000", "--out", "{samples}/generated.csv", "--truth",
                    "{samples}/generated-truth.csv", "--defects", "{samples}/generated-defects.csv"),
            List.of("import", "{samples}/generated.csv"),
            List.of("policy", "show"),
            List.of("codes", "assign"),
            List.of("codes", "pending"),
            List.of("codes", "show", "--source", "agent", "--key", "AG-0001"),
            List.of("codes", "find", "--mobile", "-"),
            List.of("codes", "review", "list", "--limit", "5"),
            List.of("export", "--out", "{samples}/export.csv"),
            List.of("db", "status"),
            List.of("tiers", "list"),
            List.of("tiers", "set", "postal_code", "--tier", "1", "--reason", "demo: Art. 10 reclassification"),
            List.of("tiers", "history"),
            List.of("keys", "status"),
            List.of("codes", "report", "--source", "agent", "--key", "AG-0001", "--out", "{samples}/report-AG-0001.json",
                    "--reason", "demo: access request (PIPL Art. 45)"),
            List.of("audit", "log", "--limit", "10"),
            List.of("audit", "verify"),
            List.of("quality", "check", "--scope", "source", "--rules", "{samples}/quality-rules.yaml",
                    "--failures", "{samples}/quality-failures.csv"));

    /**
     * What the demo pipes into the steps that read a value from standard input: 张三's mobile in samples/agent.csv,
     * written another way (+86, blanks), as a customer would give it on the phone.
     */
    private static final Map<String, String> INPUT = Map.of("codes find --mobile -", "+86 138 1234 1234\n");

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Session session = Session.of(spec);
        Map<Setting, String> flags = session.flags();
        Path samples = samples(session.settings().home().resolve("demo"));
        String database = flags.get(Setting.DB_URL);
        if (database == null) {
            Path home = session.settings().home().resolve("demo");
            freshDemoDatabase(home);
            flags.put(Setting.HOME, home.toString());
            flags.put(Setting.DB_URL, "embedded");
            database = "embedded database in " + home;
        }
        boolean json = session.format() == Output.Format.JSON;
        PrintWriter out = spec.commandLine().getOut();
        CommandLine steps = Cli.childOf(session);
        steps.setErr(spec.commandLine().getErr());
        steps.setOut(json ? new PrintWriter(new StringWriter()) : out);
        if (!json) {
            out.println("cim demo on the " + database);
        }
        List<Map<String, Object>> done = new ArrayList<>();
        int exit = 0;
        for (List<String> template : STEPS) {
            List<String> step = template.stream().map(a -> a.replace("{samples}", samples.toString())).toList();
            if (!json) {
                out.println();
                out.println("$ " + CommandLineText.masked(step));
                out.flush();
            }
            String input = INPUT.get(String.join(" ", step));
            if (input != null && !json) {
                out.println("  (standard input: 张三's mobile, as he gives it: +86 138 1234 1234)");
                out.flush();
            }
            exit = input == null ? steps.execute(step.toArray(String[]::new)) : cim.cli.codes.ValueInput.withInput(input,
                    () -> steps.execute(step.toArray(String[]::new)));
            done.add(Map.of("command", CommandLineText.masked(step), "exit", exit));
            if (exit == 0 && !json && step.get(0).equals("codes") && step.get(1).equals("report")) {
                printUses(out, Path.of(step.get(step.indexOf("--out") + 1)));
            }
            if (exit != 0) {
                break;
            }
        }
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("database", database);
            data.put("steps", done);
            if (exit == 0) {
                session.output(spec).success(data, null);
            } else {
                session.output(spec).result(data, null, ExitCode.CHECK_FAILED, "a demo step failed");
            }
        }
        return exit;
    }

    /** What the access report says of who used the customer's data and why: the part a customer asks about. */
    @SuppressWarnings("unchecked")
    private static void printUses(PrintWriter out, Path report) throws IOException {
        Map<String, Object> read = cim.core.json.Json.readMap(Files.readString(report));
        out.println("Who used this customer's data, and why (the report's \"uses\"):");
        cim.cli.render.Table uses = new cim.cli.render.Table("when", "who", "what", "reason", "scope");
        for (Map<String, Object> use : (List<Map<String, Object>>) read.get("uses")) {
            uses.row(String.valueOf(use.get("at")).replaceFirst("\\.\\d+", "").replace('T', ' '), use.get("actor"),
                    use.get("action"), use.get("reason") == null ? "" : use.get("reason"), use.get("scope"));
        }
        uses.printAligned(out, true);
        out.flush();
    }

    /** Writes the sample files the jar carries (the same as in samples/) where the demo can import them. */
    private static Path samples(Path demoHome) throws IOException {
        Path dir = demoHome.resolve("samples");
        Files.createDirectories(dir);
        for (String name : SAMPLES) {
            try (var in = DemoCommand.class.getResourceAsStream("samples/" + name)) {
                Files.copy(java.util.Objects.requireNonNull(in, name), dir.resolve(name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** Removes only the demo's own database files, so every demo starts from nothing. */
    private static void freshDemoDatabase(Path home) throws IOException {
        Files.deleteIfExists(home.resolve("cim.mv.db"));
        Files.deleteIfExists(home.resolve("cim.trace.db"));
    }
}
