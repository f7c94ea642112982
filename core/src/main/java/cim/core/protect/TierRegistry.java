package cim.core.protect;

import org.jooq.DSLContext;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

import static cim.core.db.schema.Tables.TIER_REGISTRY;

/** The tier registry as stored in the database: the one source of how each field is protected and masked. */
public final class TierRegistry {
    private final Map<CustomerField, FieldPolicy> policies;

    private TierRegistry(Map<CustomerField, FieldPolicy> policies) {
        this.policies = policies;
    }

    public static TierRegistry load(DSLContext dsl) {
        Map<CustomerField, FieldPolicy> policies = new EnumMap<>(CustomerField.class);
        dsl.selectFrom(TIER_REGISTRY).forEach(r -> CustomerField.find(r.getField()).ifPresent(field ->
                policies.put(field, new FieldPolicy(field, r.getCategory(), r.getOrigin(), Tier.of(r.getTier()),
                        MaskingRule.parse(r.getMasking()), r.getDescription(), r.getVersion()))));
        for (CustomerField field : CustomerField.values()) {
            if (!policies.containsKey(field)) {
                throw new IllegalStateException("the tier registry has no entry for " + field);
            }
        }
        return new TierRegistry(policies);
    }

    public FieldPolicy policy(CustomerField field) {
        return policies.get(field);
    }

    public Tier tier(CustomerField field) {
        return policies.get(field).tier();
    }

    public Collection<FieldPolicy> all() {
        return policies.values();
    }
}
