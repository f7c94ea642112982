package cim.cli.tiers;

import cim.cli.Session;
import cim.cli.render.Table;
import cim.core.protect.FieldPolicy;
import cim.core.protect.MaskProfile;
import cim.core.protect.MaskingRule;
import cim.core.protect.TierRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `cim tiers list`: the registry, one field a row. */
@Command(name = TiersListCommand.NAME, sortOptions = false,
        header = "Show every field's category, origin, tier, protection and masking rule.",
        description = "Sorted by tier, then category. The example column shows the masking rule applied to a "
                + "sample value; 'masked by' names the --mask profiles that apply it.")
public final class TiersListCommand implements Callable<Integer> {
    public static final String NAME = "list";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        TierRegistry registry = TierRegistry.load(session.databaseToRead().dsl());
        List<FieldPolicy> policies = new ArrayList<>(registry.all());
        policies.sort(Comparator.comparing((FieldPolicy p) -> p.tier().level()).thenComparing(FieldPolicy::category)
                .thenComparing(p -> p.field().column()));

        Table table = new Table("field", "category", "origin", "tier", "protection", "masking", "masked by",
                "example");
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldPolicy p : policies) {
            String maskedBy = maskedBy(p);
            table.row(p.field(), p.category(), p.origin(), p.tier(), p.protection(), p.masking().id(), maskedBy,
                    Examples.masked(p));
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", p.field().column());
            field.put("category", p.category());
            field.put("origin", p.origin());
            field.put("tier", p.tier().level());
            field.put("protection", p.protection());
            field.put("masking", p.masking().id());
            field.put("masked_by", maskedBy);
            field.put("version", p.version());
            field.put("description", p.description());
            fields.add(field);
        }
        session.output(spec).success(Map.of("fields", fields), table);
        return 0;
    }

    private static String maskedBy(FieldPolicy p) {
        List<String> profiles = new ArrayList<>();
        for (MaskProfile profile : MaskProfile.values()) {
            if (profile.masks(p.tier())) {
                profiles.add(profile.id());
            }
        }
        return profiles.isEmpty() ? "never" : String.join(", ", profiles);
    }

    /** A sample value per masking rule, to show what the rule leaves visible. */
    static final class Examples {
        private static final Map<MaskingRule, String> SAMPLES = Map.of(
                MaskingRule.RESIDENT_ID, "11010519491231002X", MaskingRule.MOBILE, "13812341234",
                MaskingRule.BANK_ACCOUNT, "6222020200112233445", MaskingRule.NAME, "张三丰",
                MaskingRule.ORG_ID, "91350100M000100Y43", MaskingRule.ADDRESS, "北京市海淀区中关村大街27号",
                MaskingRule.EMAIL, "li.wei@example.cn", MaskingRule.FIRST_CHAR, "wxid_abc123",
                MaskingRule.REDACT, "A");

        private Examples() {
        }

        static String masked(FieldPolicy p) {
            return p.masking().mask(SAMPLES.get(p.masking()), false);
        }
    }
}
