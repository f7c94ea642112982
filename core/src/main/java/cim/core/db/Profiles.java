package cim.core.db;

import cim.core.CimException;
import cim.core.Failure;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The profiles a PostgreSQL role can be given ({@code cim db grant}), each with exactly the rights its commands need.
 * None of them may update, delete or truncate audit rows, move the chain's head, or change a trigger: every profile
 * appends to the trail through the owner's {@code cim_audit_head()} and the triggers of schema 15.1, which also
 * refuse a reveal (an unmasked read) to any role that is neither a steward nor an admin. The embedded database has
 * one local user, who may do everything.
 */
public final class Profiles {
    /** A profile, as given to {@code --profile}. */
    public enum Profile {
        READER,
        IMPORTER,
        STEWARD,
        AUDITOR,
        ADMIN;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A --profile value: a comma-separated list of profile names, or none. */
        public static Set<Profile> parseList(String text) {
            Set<Profile> profiles = EnumSet.noneOf(Profile.class);
            if (text.trim().equalsIgnoreCase("none")) {
                return profiles;
            }
            for (String name : text.split(",")) {
                try {
                    profiles.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new CimException(Failure.USAGE, "unknown profile '" + name.trim() + "'",
                            "give reader, importer, steward, auditor or admin (several with commas), or none");
                }
            }
            return profiles;
        }
    }

    /** Customer data and its configuration: what every profile but the auditor reads. */
    private static final List<String> DATA = List.of("tier_policy", "tier_registry", "tier_change", "key_registry",
            "key_rotation", "import_batch", "source_record", "quarantine", "customer", "customer_link",
            "customer_event", "review_item", "quality_run", "quality_result", "code_separation", "match_key",
            "crowded_key", "run_lock", "customer_policy", "admission_pending", "channel", "record_relation",
            "customer_correction");
    /** The trail, and what reading and verifying it needs besides. */
    private static final List<String> TRAIL = List.of("audit_event", "audit_subject", "audit_head", "key_registry",
            "tier_registry");
    /** What every role reads to know the schema's version and its own profile. */
    private static final List<String> ALWAYS = List.of(Migrations.HISTORY_TABLE, "role_profile");
    /** Whether the role (?) is, or is a member of, the owner of cim's tables (a superuser is too). */
    private static final String OWNS_CIM = "pg_has_role(?, (SELECT tableowner FROM pg_tables WHERE schemaname = "
            + "current_schema() AND tablename = 'audit_event'), 'MEMBER')";
    private static final List<String> CODES = List.of("customer", "customer_link", "customer_event", "review_item",
            "code_separation", "match_key", "crowded_key", "run_lock");

    private Profiles() {
    }

    /** The staging tables of a full match run on another engine (schema 23): scratch space of the importer. */
    public static final List<String> MATCH_STAGING = List.of("match_stage_customer", "match_stage_link",
            "match_stage_key", "match_stage_crowded", "match_stage_review", "match_stage_pending",
            "match_stage_relation");

    /** The table privileges a set of profiles needs: table → privileges (SELECT, INSERT, UPDATE, DELETE). */
    public static Map<String, Set<String>> tablePrivileges(Collection<Profile> profiles) {
        Map<String, Set<String>> grants = new TreeMap<>();
        if (profiles.isEmpty()) {
            return grants;
        }
        ALWAYS.forEach(t -> add(grants, t, "SELECT"));
        for (Profile profile : profiles) {
            if (profile == Profile.AUDITOR) {
                TRAIL.forEach(t -> add(grants, t, "SELECT"));
                continue;
            }
            DATA.forEach(t -> add(grants, t, "SELECT"));
            List.of("audit_event", "audit_subject").forEach(t -> add(grants, t, "INSERT"));
            List.of("quality_run", "quality_result").forEach(t -> add(grants, t, "INSERT"));
            switch (profile) {
                case IMPORTER -> {
                    List.of("import_batch", "source_record", "quarantine").forEach(t -> add(grants, t, "INSERT",
                            "UPDATE"));
                    add(grants, "import_staging", "SELECT");
                    codes(grants);
                    // a changed record's old match keys go (links and history never: they are ended, not deleted)
                    add(grants, "match_key", "DELETE");
                    // a record the admission rules refuse waits in the queue until a later run admits it
                    add(grants, "admission_pending", "INSERT", "DELETE");
                    // the relations a record states, replaced when a new version of it is coded
                    add(grants, "record_relation", "INSERT", "DELETE");
                    // the merges codes assign makes carry the absorbed customer's corrections to the survivor
                    add(grants, "customer_correction", "INSERT", "UPDATE", "DELETE");
                    // a full match run on another engine (--engine spark) stages its results before moving them
                    MATCH_STAGING.forEach(t -> add(grants, t, "SELECT", "INSERT", "DELETE"));
                }
                case STEWARD -> {
                    codes(grants);
                    // a merge of two codes once kept apart ends their separation
                    add(grants, "code_separation", "DELETE");
                    // corrections (Art. 46); an erase's deletes (Art. 47) go through the owner's cim_erase_rows
                    add(grants, "customer_correction", "INSERT", "UPDATE", "DELETE");
                }
                case ADMIN -> {
                    TRAIL.forEach(t -> add(grants, t, "SELECT"));
                    List.of("tier_registry", "tier_change", "key_registry", "key_rotation", "source_record",
                            "quarantine", "customer", "run_lock").forEach(t -> add(grants, t, "INSERT",
                            "UPDATE"));
                    // a rotation takes back the key it registered when it is undone before any value moved
                    add(grants, "key_registry", "DELETE");
                    // a blind-index rotation computes every match key again
                    add(grants, "match_key", "INSERT", "UPDATE", "DELETE");
                    add(grants, "crowded_key", "UPDATE");
                    add(grants, "customer_policy", "INSERT");
                    add(grants, "channel", "INSERT", "UPDATE");
                    // re-protected by a reclassification or a key rotation like the golden records
                    add(grants, "customer_correction", "UPDATE");
                }
                default -> { }
            }
        }
        return grants;
    }

    /** The owner's functions a set of profiles may call. */
    public static Set<String> functions(Collection<Profile> profiles) {
        Set<String> functions = new TreeSet<>();
        if (profiles.stream().anyMatch(p -> p != Profile.AUDITOR)) {
            functions.add("cim_audit_head()");
        }
        if (profiles.contains(Profile.IMPORTER)) {
            functions.add("cim_match_key_index(BOOLEAN)");
            functions.add("cim_analyze(TEXT, TEXT[])");
        }
        if (profiles.contains(Profile.STEWARD)) {
            // an access report says who used the customer's data, from a trail the steward may not read
            functions.add("cim_customer_uses(VARCHAR)");
            // an erase deletes the customer's rows through the owner's function, which allows that erase only
            functions.add("cim_erase_rows(VARCHAR, BIGINT[])");
        }
        return functions;
    }

    /**
     * What matching and the steward's actions write: customers, links, history, review items, separations, keys. A
     * link is only ended or refreshed (its columns valid_to, ended_by, record_id), never handed to another customer:
     * cim inserts a new link, so that where a record's data went stays in the history.
     */
    private static void codes(Map<String, Set<String>> grants) {
        CODES.stream().filter(t -> !t.equals("customer_link")).forEach(t -> add(grants, t, "INSERT", "UPDATE"));
        add(grants, "customer_link", "INSERT", LINK_UPDATE);
    }

    /** The columns of a link that may change. */
    static final String LINK_UPDATE = "UPDATE (valid_to, ended_by, record_id)";

    private static void add(Map<String, Set<String>> grants, String table, String... privileges) {
        grants.computeIfAbsent(table, t -> new TreeSet<>()).addAll(List.of(privileges));
    }

    /** What {@link #grant} did. */
    public record Granted(String role, Set<Profile> profiles, Map<String, Set<String>> tables, Set<String> functions) {
    }

    /**
     * Gives {@code role} exactly what {@code profiles} need, in the caller's transaction: first takes back whatever
     * it held on cim's tables, sequences and functions (so a role given fewer profiles loses the rest), then grants,
     * and records the profiles. Only the tables' owner can do this. An empty set leaves the role nothing.
     */
    public static Granted grant(DSLContext tx, String role, Set<Profile> profiles) {
        if (!Engine.of(tx).hasRoles()) {
            throw new CimException(Failure.USAGE, "db grant is for a central PostgreSQL database: the embedded "
                    + "database has one local user, who may do everything", "point --db at the PostgreSQL database");
        }
        if (!tx.fetchExists(DSL.selectOne().from(DSL.table(DSL.name("pg_roles")))
                .where(DSL.field(DSL.name("rolname"), String.class).eq(role)))) {
            throw new CimException(Failure.USAGE, "there is no database role '" + role + "'",
                    "create it first (CREATE ROLE " + DSL.using(SQLDialect.POSTGRES).render(DSL.quotedName(role))
                            + " LOGIN), then grant it a profile");
        }
        if (Boolean.TRUE.equals(tx.fetchValue("SELECT " + OWNS_CIM, role))) {
            throw new CimException(Failure.USAGE, "role '" + role + "' owns cim's tables (or is a superuser): it "
                    + "can do everything, so a profile would change nothing", "grant profiles to the roles cim runs "
                    + "as day to day, and keep the owner for cim db migrate");
        }
        Name grantee = DSL.quotedName(role);
        List<String> cimTables = tx.resultQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                .fetch(0, String.class).stream()
                .filter(t -> DATA.contains(t) || TRAIL.contains(t) || ALWAYS.contains(t) || t.equals("import_staging")
                        || MATCH_STAGING.contains(t))
                .toList();
        for (String table : cimTables) {
            tx.execute("REVOKE ALL ON TABLE {0} FROM {1}", DSL.name(table), grantee);
        }
        // cim's sequences only: those of its tables' identity columns, and its code sequences
        List<String> sequences = tx.resultQuery("SELECT s.relname FROM pg_class s JOIN pg_namespace n ON n.oid = "
                + "s.relnamespace WHERE s.relkind = 'S' AND n.nspname = current_schema() AND (s.relname IN "
                + "('person_code_seq', 'org_code_seq') OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = "
                + "d.refobjid WHERE d.objid = s.oid AND d.deptype IN ('a', 'i') AND t.relname = ANY (?)))",
                (Object) cimTables.toArray(String[]::new)).fetch(0, String.class);
        for (String sequence : sequences) {
            tx.execute("REVOKE ALL ON SEQUENCE {0} FROM {1}", DSL.name(sequence), grantee);
        }
        // a function of a later schema is not there yet (the migration that makes it grants it to the roles there are)
        List<String> present = functions(EnumSet.allOf(Profile.class)).stream()
                .filter(f -> Boolean.TRUE.equals(tx.fetchValue("SELECT to_regprocedure(?) IS NOT NULL", f))).toList();
        for (String function : present) {
            tx.execute("REVOKE ALL ON FUNCTION " + function + " FROM {0}", grantee);
        }
        Map<String, Set<String>> tables = tablePrivileges(profiles);
        Set<String> functions = functions(profiles);
        if (profiles.isEmpty()) {
            // none: also the way in that a profile gave (what the role holds through PUBLIC stays PUBLIC's)
            tx.execute("REVOKE USAGE ON SCHEMA {0} FROM {1}",
                    DSL.name(tx.resultQuery("SELECT current_schema()").fetchSingle(0, String.class)), grantee);
            tx.execute("REVOKE CONNECT, TEMPORARY ON DATABASE {0} FROM {1}",
                    DSL.name(tx.resultQuery("SELECT current_database()").fetchSingle(0, String.class)), grantee);
        } else {
            tx.execute("GRANT USAGE ON SCHEMA {0} TO {1}",
                    DSL.name(tx.resultQuery("SELECT current_schema()").fetchSingle(0, String.class)), grantee);
            tx.execute("GRANT CONNECT, TEMPORARY ON DATABASE {0} TO {1}",
                    DSL.name(tx.resultQuery("SELECT current_database()").fetchSingle(0, String.class)), grantee);
            for (Map.Entry<String, Set<String>> grant : tables.entrySet()) {
                if (!cimTables.contains(grant.getKey())) {
                    // a table of a later schema (the migration that makes it grants it to the roles there are)
                    continue;
                }
                tx.execute("GRANT " + String.join(", ", grant.getValue()) + " ON TABLE {0} TO {1}",
                        DSL.name(grant.getKey()), grantee);
            }
            if (tables.values().stream().anyMatch(p -> p.contains("INSERT"))) {
                for (String sequence : sequences) {
                    tx.execute("GRANT USAGE, SELECT ON SEQUENCE {0} TO {1}", DSL.name(sequence), grantee);
                }
            }
            for (String function : functions) {
                if (present.contains(function)) {
                    tx.execute("GRANT EXECUTE ON FUNCTION " + function + " TO {0}", grantee);
                }
            }
        }
        // by name and by OID: a row left by a role dropped and made again under its name counts for nothing
        tx.execute("DELETE FROM role_profile WHERE role_name = ? OR role_oid = (SELECT oid FROM pg_roles WHERE "
                + "rolname = ?)", role, role);
        for (Profile profile : profiles) {
            tx.execute("INSERT INTO role_profile (role_name, profile, role_oid) SELECT ?, ?, oid FROM pg_roles WHERE "
                    + "rolname = ?", role, profile.id(), role);
        }
        return new Granted(role, profiles, tables, functions);
    }

    /**
     * Refuses (exit 77) a reveal — an unmasked read, custom rules on tier-1 fields, a field moved out of tier 1 — to a
     * role that is neither a steward nor an admin, before the work: the audit trail's trigger refuses its event
     * anyway. The tables' owner and the embedded database's user may.
     */
    public static void requireRevealer(DSLContext dsl, String what) {
        require(dsl, what, Profile.STEWARD, Profile.ADMIN);
    }

    /**
     * Refuses (exit 77) a command to a role given none of {@code allowed}: for the commands whose tables another
     * profile may write too (an importer's rights cover the merges codes assign makes, not a steward's merge). The
     * tables' owner and the embedded database's user may.
     */
    public static void require(DSLContext dsl, String what, Profile... allowed) {
        if (!Engine.of(dsl).hasRoles()) {
            return;
        }
        Map<String, Object> who = new LinkedHashMap<>(dsl.fetchOne("SELECT session_user AS role, "
                + OWNS_CIM.replace("?", "session_user") + " AS owner").intoMap());
        if (Boolean.TRUE.equals(who.get("owner"))) {
            return;
        }
        String role = (String) who.get("role");
        // the role's own profiles and those of the roles it is a member of (a group role such as cim_stewards)
        List<String> held = new ArrayList<>(dsl.resultQuery("SELECT DISTINCT p.profile FROM role_profile p JOIN "
                + "pg_roles r ON r.oid = p.role_oid WHERE pg_has_role(session_user, r.oid, 'MEMBER') "
                + "ORDER BY p.profile").fetch(0, String.class));
        List<Profile> wanted = List.of(allowed);
        if (held.stream().anyMatch(p -> wanted.contains(Profile.valueOf(p.toUpperCase(Locale.ROOT))))) {
            return;
        }
        String names = wanted.stream().map(Profile::id).collect(Collectors.joining(" or "));
        throw new CimException(Failure.NOT_PERMITTED, what + " needs the " + names + " profile; role " + role
                + (held.isEmpty() ? " has none" : " has " + String.join(", ", held)),
                "ask the tables' owner to run: cim db grant " + role + " --profile "
                        + (held.isEmpty() ? "" : String.join(",", held) + ",") + wanted.get(0).id());
    }
}
