-- Least privilege. The tables' owner is for 'cim db migrate'; the roles cim runs as day to day are given a profile
-- with 'cim db grant' and hold only what its commands need. None of them may update, delete or truncate audit rows
-- (the triggers of version 1.1 refuse that to anyone, and only the owner could drop them), nor move the chain's
-- head: they append through the functions below, which run with the owner's rights (SECURITY DEFINER) and check
-- what they are given. "The owner" below is any role that is a member of the functions' owner (superusers too).

-- The head of the chain, locked for this transaction: an appender reads it here (SELECT … FOR UPDATE would need
-- UPDATE on audit_head, with which a role could set the head back).
CREATE FUNCTION cim_audit_head(OUT last_seq BIGINT, OUT last_hash VARCHAR)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE
$$;

-- A profile is recorded with its role's OID: a role dropped and made again under the same name holds nothing.
ALTER TABLE role_profile ADD COLUMN role_oid OID;

-- The profiles the session's role holds, its own and those of the roles it is a member of (a group role).
CREATE FUNCTION cim_session_profiles() RETURNS VARCHAR[]
    LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT p.profile), '{}') FROM role_profile p JOIN pg_roles r ON r.oid = p.role_oid
    WHERE pg_has_role(session_user, r.oid, 'MEMBER')
$$;

-- Which profiles may append an event of each action; the owner's alone (db.migrate, db.grant, tiers.sign) and any
-- action cim does not write are refused to every profile.
CREATE FUNCTION cim_audit_action_profiles(action VARCHAR) RETURNS VARCHAR[]
    LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN action IN ('import', 'import.failed', 'codes.assign', 'codes.refresh') THEN ARRAY['importer']
        WHEN action = 'codes.merge' THEN ARRAY['importer', 'steward']
        WHEN action IN ('codes.unmerge', 'codes.review.accept', 'codes.review.reject') THEN ARRAY['steward']
        WHEN action IN ('tiers.set', 'tiers.reprotect', 'keys.rotate', 'keys.rotate.done', 'keys.register')
            THEN ARRAY['admin']
        WHEN action IN ('export', 'codes.show.unmasked', 'quality.check')
            THEN ARRAY['reader', 'importer', 'steward', 'admin']
        ELSE ARRAY[]::VARCHAR[]
    END::VARCHAR[]
$$;

-- Whether an event showed or made readable protected values in clear: an unmasked export or display, a quality run
-- given a reason to use custom rules on tier-1 fields, a field moved out of tier 1. cim marks each such event so;
-- a detail that does not parse, or names the mark in any way, counts as one.
CREATE FUNCTION cim_audit_reveals(action VARCHAR, detail VARCHAR) RETURNS BOOLEAN
    LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    doc JSONB;
BEGIN
    IF action = 'codes.show.unmasked' THEN
        RETURN TRUE;
    END IF;
    IF detail IS NULL THEN
        RETURN FALSE;
    END IF;
    IF detail ~ '"reveal"' OR detail ~ '"mask"\s*:\s*"none"' THEN
        RETURN TRUE;
    END IF;
    BEGIN
        doc := detail::jsonb;
    EXCEPTION WHEN others THEN
        RETURN TRUE;
    END;
    RETURN jsonb_typeof(doc) <> 'object' OR doc ? 'reveal' OR doc ->> 'mask' = 'none';
END;
$$;

-- Every new event: linked to the current head, and then the head itself (so that no runtime role needs to write
-- audit_head). From a runtime role also: keyed; written by the role the server knows (version 13.1), from the
-- address the server sees, at the server's time; of an action the role's profile covers; and a reveal only from a
-- steward or an admin.
CREATE OR REPLACE FUNCTION cim_audit_identity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head RECORD;
    held VARCHAR[];
BEGIN
    IF TG_RELID <> 'public.audit_event'::regclass THEN
        RAISE EXCEPTION 'cim_audit_identity guards audit_event only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.keyed AND NEW.db_user IS DISTINCT FROM session_user THEN
        RAISE EXCEPTION 'audit_event.db_user must be the session''s role'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT h.last_seq, h.last_hash INTO head FROM audit_head h WHERE h.id = 1 FOR UPDATE;
    IF NEW.seq IS DISTINCT FROM head.last_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head.last_hash THEN
        RAISE EXCEPTION 'audit event % does not follow the head of the chain (event %): events are only appended',
            NEW.seq, head.last_seq USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT pg_has_role(session_user, current_user, 'MEMBER') THEN
        IF NOT NEW.keyed THEN
            RAISE EXCEPTION 'an audit event must be keyed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.client_addr IS DISTINCT FROM host(inet_client_addr()) THEN
            RAISE EXCEPTION 'audit_event.client_addr must be the address the server sees'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.occurred_at < now() OR NEW.occurred_at > clock_timestamp() THEN
            RAISE EXCEPTION 'audit_event.occurred_at must be the server''s time, in this transaction'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        held := cim_session_profiles();
        IF NOT held && cim_audit_action_profiles(NEW.action) THEN
            RAISE EXCEPTION 'role % may not append % events: its profile (%) does not cover that command', session_user,
                NEW.action, coalesce(nullif(array_to_string(held, ', '), ''), 'none')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF cim_audit_reveals(NEW.action, NEW.detail) AND NOT held && ARRAY['steward', 'admin']::VARCHAR[] THEN
            RAISE EXCEPTION 'role % may not reveal protected values: that needs the steward or admin profile '
                '(cim db grant % --profile steward, by the tables'' owner)', session_user, session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
    RETURN NEW;
END;
$$;

-- A runtime role adds the customers of the event it has just appended itself, and only those the event names.
CREATE FUNCTION cim_audit_subject_of_head() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_RELID <> 'public.audit_subject'::regclass THEN
        RAISE EXCEPTION 'cim_audit_subject_of_head guards audit_subject only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT pg_has_role(session_user, current_user, 'MEMBER') AND NOT EXISTS (SELECT 1 FROM audit_event e
            JOIN audit_head h ON h.id = 1 AND h.last_seq = e.seq
            WHERE e.seq = NEW.seq AND e.db_user = session_user
              AND NEW.customer_code = ANY (string_to_array(e.subjects, ','))) THEN
        RAISE EXCEPTION 'audit subjects name customers of the event the role has just appended, not of event %',
            NEW.seq USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_subject_of_head BEFORE INSERT ON audit_subject
    FOR EACH ROW EXECUTE FUNCTION cim_audit_subject_of_head();

-- What checking the tier registry's signatures reads of the trail (the newest tiers.set event of each field, and
-- whether it was ever signed), for the roles that may not read the trail itself.
CREATE FUNCTION cim_tier_last_set() RETURNS TABLE (field VARCHAR, last_seq BIGINT)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT object_id, max(seq) FROM audit_event WHERE action = 'tiers.set' AND object_type = 'field' GROUP BY object_id
$$;

CREATE FUNCTION cim_tier_ever_signed() RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM audit_event WHERE action = 'tiers.sign')
$$;

-- codes assign drops the index of match_key by key for a bulk run and builds it again after (see KeyIndex), and
-- keeps the planner's statistics current (see Statistics): both need the owner's rights, so a runtime role asks
-- these functions, which do only that.
CREATE FUNCTION cim_match_key_index(wanted BOOLEAN) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF wanted THEN
        CREATE INDEX IF NOT EXISTS match_key_key ON match_key (match_key);
    ELSE
        DROP INDEX IF EXISTS match_key_key;
    END IF;
END;
$$;

CREATE FUNCTION cim_analyze(table_name TEXT, columns TEXT[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF table_name NOT IN ('source_record', 'customer', 'customer_link', 'match_key', 'crowded_key', 'review_item')
            OR cardinality(columns) IS NULL THEN
        RAISE EXCEPTION 'cim_analyze: % is not a table cim keeps statistics for', table_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ANALYZE %I (%s)', table_name, (SELECT string_agg(format('%I', c), ', ') FROM unnest(columns) c));
END;
$$;

-- (cim_tier_last_set and cim_tier_ever_signed stay PUBLIC: field names and event numbers, which every role
-- that reads the registry needs, and nothing else.)
REVOKE EXECUTE ON FUNCTION cim_audit_head(), cim_match_key_index(BOOLEAN), cim_analyze(TEXT, TEXT[]) FROM PUBLIC;
-- A trigger function that runs with the owner's rights must not be attachable by others to tables of their own
-- (a temporary one, say), where it would move the chain's head without an event.
REVOKE EXECUTE ON FUNCTION cim_audit_identity(), cim_audit_subject_of_head() FROM PUBLIC;
