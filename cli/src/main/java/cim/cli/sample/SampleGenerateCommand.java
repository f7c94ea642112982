package cim.cli.sample;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.sample.SampleGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim sample generate N --out F`: synthetic channel records. */
@Command(name = SampleGenerateCommand.NAME, sortOptions = false,
        header = "Write N synthetic channel records (CSV, or JSON Lines for a .jsonl file).",
        description = {"Persons and organisations of several channels (direct, agent, telesales, web, wechat, bank, "
                + "broker, car), with valid ID numbers, credit codes and phones. Customers known to several channels "
                + "appear once per channel with realistic noise: full-width digits, 15-digit legacy IDs, lower-case "
                + "x, homophone characters in names, prospects without ID or birth date, reformatted or changed "
                + "phones, abbreviated addresses, other date formats, stray blanks. Hard non-duplicates too: family "
                + "members sharing a phone and address, and strangers with the same common name and birth date.",
            "",
            "--truth writes source_system,source_key,customer for every record; --defects lists the planted "
                + "invalid values (bad_checksum, impossible_date, gender_mismatch, malformed_phone, malformed_email, "
                + "malformed_postal_code). The same --seed gives the same files. Touches no database."})
public final class SampleGenerateCommand implements Callable<Integer> {
    public static final String NAME = "generate";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "N", description = "how many records")
    private long count;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the records (.csv or .jsonl)")
    private Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--truth", paramLabel = "FILE", description = "write which real customer each record is")
    private Path truth;

    @Option(names = "--defects", paramLabel = "FILE", description = "write the planted invalid values and their kind")
    private Path defects;

    @Option(names = "--defect-rate", paramLabel = "PERCENT", defaultValue = "3",
            description = "percent of records given a planted defect (default ${DEFAULT-VALUE})")
    private int defectRate;

    @Override
    public Integer call() {
        if (count < 1 || defectRate < 0 || defectRate > 100) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "N must be 1 or more and --defect-rate 0 to 100");
        }
        SampleGenerator.Summary summary = new SampleGenerator(seed, defectRate).generate(count, out, truth, defects);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("records", summary.records());
        data.put("customers", summary.customers());
        data.put("defects", summary.defects());
        data.put("file", out.toString());
        data.put("truth", truth == null ? null : truth.toString());
        data.put("defects_file", defects == null ? null : defects.toString());
        data.put("seed", seed);
        Session.of(spec).output(spec).success(data, Table.keyValue().row("records", summary.records())
                .row("real customers", summary.customers()).row("planted defects", summary.defects())
                .row("file", out).row("truth", truth == null ? "-" : truth)
                .row("defects", defects == null ? "-" : defects).row("seed", seed));
        return 0;
    }
}
