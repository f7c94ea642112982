package cim.core.quality;

import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import static cim.core.db.schema.Tables.QUALITY_RESULT;
import static cim.core.db.schema.Tables.QUALITY_RUN;

/**
 * The quality runs stored by {@link QualityCheck}, newest first: overall, or one rule's results run by run. Status is
 * as stored (pass, warn, fail): a history shows what the table holds.
 */
public final class QualityRuns {
    /** A run: its scope, filter (null: none), score and status, and who ran it. */
    public record Run(long id, OffsetDateTime startedAt, String scope, String filter, BigDecimal score,
                      String status, String actor) { }

    /** One rule's result in a run: for all channels, or one channel's in a source-scope run. */
    public record RuleResult(long run, OffsetDateTime startedAt, long checked, long failed, BigDecimal ratio,
                             String status) { }

    private QualityRuns() {
    }

    public static List<Run> history(DSLContext dsl, int limit) {
        return dsl.selectFrom(QUALITY_RUN).orderBy(QUALITY_RUN.ID.desc()).limit(limit).fetch(r -> new Run(r.getId(),
                r.getStartedAt(), r.getScope(), r.getFilter(), r.getScore(), r.getStatus(), r.getActor()));
    }

    /** The rule's results, for all channels ({@code channel} null) or one channel's. */
    public static List<RuleResult> history(DSLContext dsl, String rule, String channel, int limit) {
        return dsl.select(QUALITY_RUN.ID, QUALITY_RUN.STARTED_AT, QUALITY_RESULT.CHECKED, QUALITY_RESULT.FAILED,
                        QUALITY_RESULT.RATIO, QUALITY_RESULT.STATUS)
                .from(QUALITY_RESULT).join(QUALITY_RUN).on(QUALITY_RUN.ID.eq(QUALITY_RESULT.RUN_ID))
                .where(QUALITY_RESULT.RULE_ID.eq(rule).and(channel == null ? QUALITY_RESULT.SOURCE_SYSTEM.isNull()
                        : QUALITY_RESULT.SOURCE_SYSTEM.eq(channel)))
                .orderBy(QUALITY_RUN.ID.desc()).limit(limit)
                .fetch(r -> new RuleResult(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6()));
    }
}
