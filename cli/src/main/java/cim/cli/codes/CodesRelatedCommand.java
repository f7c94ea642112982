package cim.cli.codes;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.codes.CodeLookup;
import cim.core.codes.CustomerCode;
import cim.core.codes.Relations;
import cim.core.db.Database;
import cim.core.protect.CustomerField;
import cim.core.protect.FieldProtector;
import cim.core.protect.MaskProfile;
import cim.core.protect.Masker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim codes related CODE [--type T]`: the customers whose records name this one in a relation. */
@Command(name = CodesRelatedCommand.NAME, sortOptions = false,
        header = "List the customers whose records name this customer in a relation (an agent's customers).",
        description = {"The other way round from 'codes show', which lists the relations a customer's records state: "
                + "here, every customer one of whose current records names this one, by its record or an "
                + "identifier, as the other party; --type sales_agent lists an agent's customers (Art. 7.3: "
                + "customer and sales agent), --type employer an organisation's staff. Codes as they are now "
                + "(after merges and unmerges); names masked (tier 2 with --mask tier2).",
            "",
            "Types: " + "beneficiary, child, contact_person, employee, employer, legal_representative, other, "
                + "parent, relative, sales_agent, shareholder, sibling, spouse."})
public final class CodesRelatedCommand implements Callable<Integer> {
    public static final String NAME = "related";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "the customer (a merged code: the customer it was merged into)")
    private String code;

    @Option(names = "--type", paramLabel = "TYPE", description = "only relations of this type, e.g. sales_agent")
    private String type;

    @Option(names = "--mask", paramLabel = "PROFILE", defaultValue = "tier1",
            description = "tier1 (default) or tier2 (names masked too)")
    private String mask;

    @Override
    public Integer call() {
        if (type != null && !Relations.TYPES.contains(type.toLowerCase(java.util.Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "--type " + type + " is not a relation type: "
                    + String.join(", ", Relations.TYPES.stream().sorted().toList()));
        }
        MaskProfile profile = MaskProfile.parse(mask);
        if (profile == MaskProfile.NONE) {
            throw new ParameterException(spec.commandLine(), "--mask must be tier1 or tier2 here ('codes show "
                    + "CODE --mask none --reason …' shows one customer unmasked)");
        }
        Session session = Session.of(spec);
        Database db = session.databaseToRead();
        CodeLookup lookup = new CodeLookup(db.dsl());
        String current = lookup.current(CustomerCode.parse(code)).value();
        FieldProtector protector = session.protector(db);
        Masker masker = new Masker(protector.registry(db.dsl()), profile, null);
        List<Relations.Related> related = Relations.pointingAt(db.dsl(), current, type);
        Map<String, String> names = new LinkedHashMap<>();
        lookup.named(related.stream().map(Relations.Related::code).distinct().toList(), protector)
                .forEach(n -> names.put(n.code(), n.name() == null ? "" : masker.show(CustomerField.NAME, n.name(),
                        n.organisation())));
        Table table = new Table("code", "name", "names this customer as");
        List<Map<String, Object>> rows = related.stream().map(r -> {
            table.row(r.code(), names.get(r.code()), r.type());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", r.code());
            row.put("name", names.get(r.code()));
            row.put("type", r.type());
            return row;
        }).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", current);
        data.put("customers", rows);
        session.output(spec).success(data, table);
        return ExitCode.OK.code();
    }
}
