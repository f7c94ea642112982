package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.MaskOptions;
import cim.cli.Output;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.CodeLookup;
import cim.core.codes.CustomerCode;
import cim.core.codes.CustomerView;
import cim.core.db.Database;
import cim.core.json.Json;
import cim.core.protect.FieldProtector;
import cim.core.protect.MaskProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes show CODE`: a customer's golden record (masked), its source records and why, and its history. */
@Command(name = CodesShowCommand.NAME, sortOptions = false,
        header = "Show a customer: golden record (masked), linked source records with why, relations and history.",
        description = {"The customer is named by its code, or by one of its source records (--source and --key). "
                + "Each source record shows the branch that collected it and when; a golden value the import "
                + "cleansed says what it was as received (masked like the value); the relations its records state "
                + "are listed with the customer the other party is now (type, code, masked name). "
                + "A code that was merged into another shows the survivor, and says so. Tier-1 values are "
                + "masked (--mask tier1, the default); --mask none needs --reason and is audited. Each golden value "
                + "names the record it came from; a list (policies, claims, accounts, relations, assets, "
                + "touch-points) holds every item of every linked record once, and names per item the records "
                + "behind it (in -o json, provenance.policies[i]). Each linked record "
                + "shows the rule or score that linked it and the per-field findings; the history lists merges, "
                + "unmerges and ended links."})
public final class CodesShowCommand implements Callable<Integer> {
    public static final String NAME = "show";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", arity = "0..1", description = "a customer code, e.g. P0000000177")
    private String code;

    @Option(names = "--source", paramLabel = "CHANNEL", description = "instead of CODE: the customer of the record "
            + "with this channel …")
    private String source;

    @Option(names = "--key", paramLabel = "KEY", description = "… and this source key")
    private String key;

    @Mixin
    private MaskOptions masking;

    @Override
    public Integer call() {
        if ((code == null) == (source == null || key == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give a CODE, or --source and --key of one of the customer's records");
        }
        MaskProfile profile = masking.profile();
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        CustomerCode asked = code != null ? CustomerCode.parse(code)
                : new CodeLookup(db.dsl()).codeOf(source.strip(), key.strip());
        CustomerView.Shown shown = new CustomerView(db.dsl(), session.protector(db), session.audit(db))
                .show(asked, profile, masking.reason());
        CustomerView.Customer customer = shown.customer();
        Map<String, Object> golden = shown.golden();
        Map<String, Object> cleansedFrom = shown.cleansedFrom();
        if (!shown.unreadable().isEmpty()) {
            session.err().println("cim: warning: the stored " + String.join(", ", shown.unreadable()) + " of customer "
                    + customer.code() + " did not open (altered in the database, or put back from before "
                    + "a key rotation): restore from a backup, and see 'cim tiers verify' and 'cim audit log'");
            session.err().flush();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", customer.code());
        data.put("asked", customer.asked());
        data.put("redirects", customer.redirects());
        data.put("customer_type", customer.customerType());
        data.put("status", customer.status());
        data.put("restricted_at", customer.restrictedAt());
        data.put("erased_at", customer.erasedAt());
        data.put("channels", customer.channels());
        data.put("first_source_system", customer.firstSourceSystem());
        data.put("golden", golden);
        // objects, not strings holding JSON: jq reads them as they are
        data.put("provenance", shown.provenance());
        data.put("cleansed_from", cleansedFrom);
        // its relations (Art. 7.3), each to the customer the other party is now, named masked like a golden value
        List<Map<String, Object>> relations = shown.relations().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", r.type());
            row.put("code", r.code());
            row.put("name", r.name());
            return row;
        }).toList();
        data.put("relations", relations);
        List<Map<String, Object>> links = new ArrayList<>();
        for (CustomerView.Link link : shown.links()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source_system", link.sourceSystem());
            row.put("source_key", link.sourceKey());
            row.put("rule", link.rule());
            row.put("score", link.score());
            row.put("explanation", Json.objectOrText(link.explanation()));
            row.put("linked_by", link.linkedBy());
            row.put("valid_from", link.validFrom());
            row.put("valid_to", link.validTo());
            row.put("ended_by", link.endedBy());
            row.put("branch", link.branch());
            row.put("collected_at", link.collectedAt() == null ? null : link.collectedAt().toInstant().toString());
            links.add(row);
        }
        data.put("links", links);
        List<Map<String, Object>> history = new ArrayList<>();
        for (CustomerView.Event event : shown.history()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("occurred_at", event.occurredAt());
            row.put("code", event.code());
            row.put("action", event.action());
            row.put("other_code", event.otherCode());
            row.put("reason", event.reason());
            row.put("actor", event.actor());
            history.add(row);
        }
        data.put("history", history);

        Output output = session.output(spec);
        if (output.format() != Output.Format.TABLE) {
            Table table = new Table("field", "value");
            golden.forEach((field, value) -> table.row(field, value));
            output.success(data, table);
            return ExitCode.OK.code();
        }
        print(spec.commandLine().getOut(), shown, relations);
        return ExitCode.OK.code();
    }

    /**
     * The table's "from" of a field: its record, or for a list combined from several records each record once, with
     * how many of the items it supplied.
     */
    private static String from(Object provenance) {
        if (FieldProtector.STEWARD.equals(provenance)) {
            return "steward's correction (cim codes correct)";
        }
        if (!(provenance instanceof List<?> items)) {
            return provenance == null ? "" : provenance.toString();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Object item : items) {
            for (Object source : (List<?>) item) {
                counts.merge(source.toString(), 1, Integer::sum);
            }
        }
        List<String> named = new ArrayList<>();
        counts.forEach((source, count) -> named.add(source + " (" + count + (count == 1 ? " item)" : " items)")));
        return String.join(", ", named);
    }

    private static void print(PrintWriter out, CustomerView.Shown shown, List<Map<String, Object>> relations) {
        CustomerView.Customer customer = shown.customer();
        if (!customer.redirects().isEmpty()) {
            out.println(customer.asked() + " was merged: it redirects to " + String.join(" → ", customer.redirects()));
            out.println();
        }
        if (customer.erasedAt() != null) {
            out.println(customer.code() + ": erased on " + customer.erasedAt().toLocalDate()
                    + " (PIPL Art. 47); the code stays reserved and holds no data");
            out.println();
        }
        Table head = Table.keyValue().row("code", customer.code()).row("type", customer.customerType())
                .row("status", customer.status()).row("channels", customer.channels())
                .row("first collector", customer.firstSourceSystem());
        if (customer.restrictedAt() != null) {
            head.row("restricted", "since " + customer.restrictedAt().toLocalDate() + ": kept for the retention "
                    + "purpose only (exports but --purpose regulatory leave it out)");
        }
        head.printAligned(out, false);
        out.println();
        out.println("Golden record:");
        Table values = new Table("field", "value", "from");
        shown.golden().forEach((field, value) -> values.row(field, value, from(shown.provenance().get(field))
                + (shown.cleansedFrom().containsKey(field) ? " (cleansed from " + shown.cleansedFrom().get(field) + ")"
                : "")));
        values.printAligned(out, true);
        out.println();
        out.println("Source records:");
        Table links = new Table("source", "key", "branch", "collected", "rule", "score", "why", "since", "until");
        for (CustomerView.Link link : shown.links()) {
            links.row(link.sourceSystem(), link.sourceKey(), link.branch() == null ? "" : link.branch(),
                    link.collectedAt() == null ? "" : link.collectedAt().atZoneSameInstant(
                            java.time.ZoneId.systemDefault()).toLocalDate(), link.rule(),
                    link.score() == null ? "" : link.score().stripTrailingZeros().toPlainString(),
                    link.explanation() == null ? "" : link.explanation(), link.validFrom().toLocalDate(),
                    link.validTo() == null ? "" : link.validTo().toLocalDate() + " (" + link.endedBy() + ")");
        }
        links.printAligned(out, true);
        if (!relations.isEmpty()) {
            out.println();
            out.println("Relations:");
            Table related = new Table("type", "code", "name");
            relations.forEach(r -> related.row(r.get("type"), r.get("code"), r.get("name")));
            related.printAligned(out, true);
        }
        if (!shown.history().isEmpty()) {
            out.println();
            out.println("History:");
            Table events = new Table("when", "code", "action", "other", "by", "reason");
            for (CustomerView.Event event : shown.history()) {
                events.row(event.occurredAt().toLocalDateTime().withNano(0), event.code(), event.action(),
                        event.otherCode() == null ? "" : event.otherCode(), event.actor(),
                        event.reason() == null ? "" : event.reason());
            }
            events.printAligned(out, true);
        }
        out.flush();
    }
}
