package cim.core.ingest;

import cim.core.CimException;
import cim.core.Failure;
import cim.core.audit.AuditEntry;
import cim.core.audit.AuditEvent;
import cim.core.audit.AuditKey;
import cim.core.audit.AuditTrail;
import cim.core.db.Engine;
import cim.core.db.Profiles;
import cim.core.db.schema.tables.records.ChannelRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static cim.core.db.schema.Tables.ADMISSION_PENDING;
import static cim.core.db.schema.Tables.AUDIT_EVENT;
import static cim.core.db.schema.Tables.CHANNEL;
import static cim.core.db.schema.Tables.SOURCE_RECORD;

/**
 * The channels that collect customer information ({@code channel}), each with the department answerable for what
 * it collects (Art. 4.3: whoever collects it is responsible). Records come in only through a registered channel:
 * an import names one that is not, and is refused (exit 65) before it reads a row. Each row is signed with an HMAC
 * under the keyset's audit key over its code, name, owner and the audit event that set it: a channel added or
 * changed in SQL (no event, or not the newest) stops the imports that would use it (exit 77).
 */
public final class Channels {
    /** What a row's MAC is computed over; its first line keeps it apart from the other MACs under the same key. */
    private static final String MAC_LABEL = "cim channel v1";

    /** A channel code: what --source and source_system give, and what provenance and trust orders name. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /**
     * Whether a source_system (or --source) can name a channel at all: 1 to 40 characters without '/' (channel/key
     * names a record, and binds its sealed values). Whether it is a registered one is another question.
     */
    public static boolean plausibleCode(String system) {
        return system != null && !system.isBlank() && system.length() <= 40 && system.indexOf('/') < 0;
    }

    /** A registered channel; {@code intact}: it carries cim's signature and names the newest event that set it. */
    public record Channel(String code, String name, String owner, OffsetDateTime addedAt, OffsetDateTime changedAt,
                          boolean intact) {
        static Channel of(ChannelRecord r, boolean intact) {
            return new Channel(r.getCode(), r.getName(), r.getOwner(), r.getAddedAt(), r.getChangedAt(), intact);
        }
    }

    private Channels() {
    }

    /**
     * Every registered channel, by code, each checked against its signature and the audit trail; with no key (an
     * import's dry run, which stores nothing and may run without the keyset), unchecked.
     */
    public static List<Channel> list(DSLContext dsl, AuditKey key) {
        Map<String, Long> lastSet = key == null ? Map.of() : lastSet(dsl);
        return dsl.selectFrom(CHANNEL).orderBy(CHANNEL.CODE)
                .fetch(r -> Channel.of(r, key == null || intact(key, r, lastSet.getOrDefault(r.getCode(), 0L))));
    }

    /**
     * The codes of the registered channels, for an import.
     *
     * @throws CimException (not permitted) naming the first channel added or changed outside cim
     */
    public static Set<String> codes(DSLContext dsl, AuditKey key) {
        List<Channel> channels = list(dsl, key);
        channels.stream().filter(c -> !c.intact()).findFirst().ifPresent(c -> {
            throw new CimException(Failure.NOT_PERMITTED, "channel '" + c.code() + "' was added or changed outside "
                    + "cim (it does not carry cim's signature, or is not as its newest audit event set it); nothing "
                    + "was imported", "see 'cim channels list' and 'cim audit log --action channels.*', then have an "
                    + "admin set it as it should be: cim channels set " + c.code() + " --name NAME --owner DEPT "
                    + "--reason \"…\" (which signs it again)");
        });
        return channels.stream().map(Channel::code).collect(Collectors.toSet());
    }

    /** The departments answerable for the channels, by code ("(changed outside cim)" for one that does not verify). */
    public static Map<String, String> owners(DSLContext dsl, AuditKey key) {
        return list(dsl, key).stream().collect(Collectors.toMap(Channel::code,
                c -> c.intact() ? c.owner() : "(changed outside cim)", (a, b) -> a, LinkedHashMap::new));
    }

    /** A channel's current source records, and those of them waiting for admission. */
    public record Counts(long records, long refused) {
        public static final Counts NONE = new Counts(0, 0);
    }

    /** Per channel, its counts. */
    public static Map<String, Counts> counts(DSLContext dsl) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        dsl.select(SOURCE_RECORD.SOURCE_SYSTEM, DSL.count()).from(SOURCE_RECORD).where(SOURCE_RECORD.IS_CURRENT)
                .groupBy(SOURCE_RECORD.SOURCE_SYSTEM)
                .forEach(r -> counts.put(r.value1(), new Counts(r.value2(), 0)));
        dsl.select(ADMISSION_PENDING.SOURCE_SYSTEM, DSL.count()).from(ADMISSION_PENDING)
                .groupBy(ADMISSION_PENDING.SOURCE_SYSTEM)
                .forEach(r -> counts.merge(r.value1(), new Counts(0, r.value2()),
                        (a, b) -> new Counts(a.records(), b.refused())));
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
        AuditEvent event = audit.append(tx, AuditEntry.of("channels.add").object("channel", code)
                .detail(Map.of("name", row.getName(), "owner", row.getOwner())));
        row.setSetSeq(event.seq());
        row.setMac(mac(audit.key(), row));
        row.store();
        return Channel.of(row, true);
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
        AuditEvent event = audit.append(tx, AuditEntry.of("channels.set").object("channel", code).reason(reason)
                .detail(detail));
        row.setSetSeq(event.seq());
        row.setMac(mac(audit.key(), row));
        row.store();
        return Channel.of(row, true);
    }

    private static boolean intact(AuditKey key, ChannelRecord row, long lastSetSeq) {
        return row.getMac() != null && row.getSetSeq() != null && row.getSetSeq() == lastSetSeq
                && MessageDigest.isEqual(mac(key, row).getBytes(StandardCharsets.US_ASCII),
                        row.getMac().getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(AuditKey key, ChannelRecord row) {
        return key.mac(String.join("\n", MAC_LABEL, row.getCode(), row.getName(), row.getOwner(),
                String.valueOf(row.getSetSeq())));
    }

    /** The newest channels.add or channels.set event of each channel. */
    private static Map<String, Long> lastSet(DSLContext dsl) {
        Map<String, Long> lastSet = new java.util.HashMap<>();
        // on PostgreSQL through the owner's function: the roles that read the channels may not read the trail
        var rows = Engine.of(dsl).hasRoles()
                ? dsl.resultQuery("SELECT code, last_seq FROM cim_channel_last_set()").fetch()
                : dsl.select(AUDIT_EVENT.OBJECT_ID, DSL.max(AUDIT_EVENT.SEQ)).from(AUDIT_EVENT)
                        .where(AUDIT_EVENT.ACTION.in("channels.add", "channels.set")
                                .and(AUDIT_EVENT.OBJECT_TYPE.eq("channel")))
                        .groupBy(AUDIT_EVENT.OBJECT_ID).fetch();
        rows.forEach(r -> lastSet.put(r.get(0, String.class), r.get(1, Long.class)));
        return lastSet;
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
