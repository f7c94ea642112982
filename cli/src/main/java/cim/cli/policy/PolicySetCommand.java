package cim.cli.policy;

import cim.cli.ExitCode;
import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.CimException;
import cim.core.Failure;
import cim.core.db.Database;
import cim.core.policy.PolicyFile;
import cim.core.policy.PolicyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim policy set FILE --reason T`: a new version of the policy. */
@Command(name = PolicySetCommand.NAME, sortOptions = false,
        header = "Set a new version of the policy from a YAML file (admin).",
        description = {"The file (UTF-8 YAML) is checked whole before anything is stored: a mistake exits 78 "
                + "naming file:line and the fix. A section left out keeps the built-in default's; 'admission: {}' "
                + "admits every record; an admission section names both PERSON and ORG (ORG: {} admits every "
                + "organisation). The new version applies from the next 'codes assign', which also examines again "
                + "the records the previous version refused; its cleansing rules apply from the next import.",
            "",
            "admission:",
            "  PERSON:",
            "    require: [name]",
            "    any_of: [[id_number, mobile]]   # at least one valid value from each group",
            "  ORG:",
            "    require: [name]",
            "    any_of: [[uscc, org_code]]",
            "merging:",
            "  link_threshold: 7.5",
            "  review_threshold: 4.5",
            "  trust: [direct, agent, broker, bank, car, telesales, web, wechat]",
            "cleansing:                         # each correction keeps the value as received",
            "  name_blanks: true                # 梁 健 → 梁健",
            "  gender: true                     # 男/女/M/F/1/2/male/female → M/F",
            "  address: true                    # 北京市北京市海淀区 → 北京市海淀区",
            "",
            "Audited (policy.set, with the version, the file's SHA-256 and the reason). On PostgreSQL it needs the "
                + "admin profile."})
public final class PolicySetCommand implements Callable<Integer> {
    public static final String NAME = "set";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the policy, YAML")
    private Path file;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (required unless --check); kept with the "
            + "version and in the audit trail")
    private String reason;

    @Option(names = "--check", description = "only check the file; store nothing")
    private boolean check;

    @Override
    public Integer call() {
        if (!check && (reason == null || reason.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--reason is required: say why the policy changes "
                    + "(it is kept with the version and in the audit trail)");
        }
        String body = read(file);
        if (check) {
            PolicyFile.parse(body, file.toString(), 1);
            Session.of(spec).output(spec).success(Map.of("file", file.toString(), "ok", true),
                    Table.keyValue().row("file", file).row("check", "ok: nothing was stored"));
            return ExitCode.OK.code();
        }
        Session session = Session.of(spec);
        Database db = session.databaseToChange();
        PolicyStore.Stored stored = db.dsl().transactionResult(tx -> PolicyStore.set(tx.dsl(), session.audit(db),
                body, file.toString(), reason.strip()));
        Map<String, Object> data = new LinkedHashMap<>(PolicyHistoryCommand.version(stored));
        session.output(spec).success(data, Table.keyValue().row("version", stored.policy().version())
                .row("sha256", stored.sha256()).row("applies", "from the next 'cim codes assign'"));
        return ExitCode.OK.code();
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CimException(Failure.CONFIGURATION, file + ": the policy is not UTF-8 text",
                    "save it as UTF-8");
        } catch (IOException e) {
            throw new CimException(Failure.CONFIGURATION, "cannot read the policy " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
                    "check the path and that you may read it");
        }
    }
}
