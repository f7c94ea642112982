package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditTrail;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.ChannelRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.CHANNEL;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The channels that collect customer information ({@code channel}), each with the department answerable for what
 * it collects (Art. 4.3: whoever collects it is responsible). Records come in only through a registered channel:
 * an import names one that is not, and is refused (exit 65) before it reads a row.
 */
public final class Channels {
    /** A channel code: what --source and source_system give, and what provenance and trust orders name. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /** A registered channel. */
    public record Channel(String code, String name, String owner, OffsetDateTime addedAt, OffsetDateTime changedAt) {
        static Channel of(ChannelRecord r) {
            return new Channel(r.getCode(), r.getName(), r.getOwner(), r.getAddedAt(), r.getChangedAt());
        }
    }

    private Channels() {
    }

    /** Every registered channel, by code. */
    public static List<Channel> list(DSLContext dsl) {
        return dsl.selectFrom(CHANNEL).orderBy(CHANNEL.CODE).fetch(Channel::of);
    }

    /** The codes of the registered channels. */
    public static Set<String> codes(DSLContext dsl) {
        return dsl.select(CHANNEL.CODE).from(CHANNEL).fetchSet(CHANNEL.CODE);
    }

    /** The departments answerable for the channels, by code. */
    public static Map<String, String> owners(DSLContext dsl) {
        return list(dsl).stream().collect(Collectors.toMap(Channel::code, Channel::owner, (a, b) -> a,
                LinkedHashMap::new));
    }

    /** Per channel: its current source records, and those of them waiting for admission. */
    public static Map<String, long[]> counts(DSLContext dsl) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        dsl.select(SOURCE_RECORD.SOURCE_SYSTEM, DSL.count()).from(SOURCE_RECORD).where(SOURCE_RECORD.IS_CURRENT)
                .groupBy(SOURCE_RECORD.SOURCE_SYSTEM)
                .forEach(r -> counts.computeIfAbsent(r.value1(), c -> new long[2])[0] = r.value2());
        dsl.select(ADMISSION_PENDING.SOURCE_SYSTEM, DSL.count()).from(ADMISSION_PENDING)
                .groupBy(ADMISSION_PENDING.SOURCE_SYSTEM)
                .forEach(r -> counts.computeIfAbsent(r.value1(), c -> new long[2])[1] = r.value2());
        return counts;
    }

    /** Refuses (exit 65) an import into a channel that is not registered. */
    public static void requireRegistered(DSLContext dsl, String code) {
        if (code != null && !dsl.fetchExists(CHANNEL, CHANNEL.CODE.eq(code))) {
            throw notRegistered(code);
        }
    }

    static CimException notRegistered(String code) {
        return new CimException(Failure.INPUT, "channel '" + code + "' is not registered: records come in only "
                + "through a channel with a department answerable for them (Art. 4.3)", "an admin registers it: cim "
                + "channels add " + (CODE.matcher(code).matches() ? code : "CODE") + " --name NAME --owner DEPT "
                + "('cim channels list' shows those there are)");
    }

    /** Registers a channel (admin), audited as {@code channels.add}, in the caller's transaction. */
    public static Channel add(DSLContext tx, AuditTrail audit, String code, String name, String owner) {
        Profiles.require(tx, "channels add", Profiles.Profile.ADMIN);
        if (!CODE.matcher(code).matches()) {
            throw new CimException(Failure.USAGE, "channel code '" + code + "' is not one: 1 to 40 lower-case "
                    + "letters, digits, '-' or '_', beginning with a letter or digit", "e.g. wechat, bank-icbc");
        }
        if (tx.fetchExists(CHANNEL, CHANNEL.CODE.eq(code))) {
            throw new CimException(Failure.USAGE, "channel '" + code + "' is registered already",
                    "change its name or owner with: cim channels set " + code + " --name NAME --owner DEPT");
        }
        ChannelRecord row = tx.newRecord(CHANNEL);
        row.setCode(code);
        row.setName(text(name, "--name"));
        row.setOwner(text(owner, "--owner"));
        row.setAddedAt(OffsetDateTime.now());
        row.store();
        audit.append(tx, AuditEntry.of("channels.add").object("channel", code)
                .detail(Map.of("name", row.getName(), "owner", row.getOwner())));
        return Channel.of(row);
    }

    /** Changes a channel's name or owner (null: unchanged; admin), audited as {@code channels.set}. */
    public static Channel set(DSLContext tx, AuditTrail audit, String code, String name, String owner,
                              String reason) {
        Profiles.require(tx, "channels set", Profiles.Profile.ADMIN);
        ChannelRecord row = tx.selectFrom(CHANNEL).where(CHANNEL.CODE.eq(code)).forUpdate().fetchOne();
        if (row == null) {
            throw new CimException(Failure.USAGE, "channel '" + code + "' is not registered",
                    "'cim channels list' shows those there are; 'cim channels add' registers one");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        if (name != null) {
            detail.put("name", Map.of("from", row.getName(), "to", text(name, "--name")));
            row.setName(text(name, "--name"));
        }
        if (owner != null) {
            detail.put("owner", Map.of("from", row.getOwner(), "to", text(owner, "--owner")));
            row.setOwner(text(owner, "--owner"));
        }
        row.setChangedAt(OffsetDateTime.now());
        row.store();
        audit.append(tx, AuditEntry.of("channels.set").object("channel", code).reason(reason).detail(detail));
        return Channel.of(row);
    }

    private static String text(String value, String option) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty() || text.length() > 200) {
            throw new CimException(Failure.USAGE, option + " must be 1 to 200 characters", "give " + option
                    + " \"…\"");
        }
        return text;
    }
}
