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

-- Whether an event showed or made readable protected values in clear: an unmasked export or display, a quality run
-- given a reason to use custom rules on tier-1 fields, a field moved out of tier 1. cim marks each such event so.
CREATE FUNCTION cim_audit_reveals(action VARCHAR, detail VARCHAR) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT action = 'codes.show.unmasked'
        OR (detail IS NOT NULL AND detail LIKE '{%' AND ((detail::jsonb ->> 'reveal') = 'true'
            OR (detail::jsonb ->> 'mask') = 'none'))
$$;

-- Every new event: written by the role the server knows (version 13.1), linked to the current head, keyed, and a
-- reveal only from a steward or an admin. It then becomes the head, here, so that no runtime role needs to write
-- audit_head.
CREATE OR REPLACE FUNCTION cim_audit_identity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head RECORD;
BEGIN
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
        IF cim_audit_reveals(NEW.action, NEW.detail) AND NOT EXISTS (SELECT 1 FROM role_profile p
                JOIN pg_roles r ON r.rolname = p.role_name
                WHERE p.profile IN ('steward', 'admin') AND pg_has_role(session_user, r.oid, 'MEMBER')) THEN
            RAISE EXCEPTION 'role % may not reveal protected values: that needs the steward or admin profile '
                '(cim db grant % --profile steward, by the tables'' owner)', session_user, session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
    RETURN NEW;
END;
$$;

-- A runtime role adds the subjects of the event it has just appended, of no other.
CREATE FUNCTION cim_audit_subject_of_head() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, current_user, 'MEMBER')
            AND NEW.seq IS DISTINCT FROM (SELECT h.last_seq FROM audit_head h WHERE h.id = 1) THEN
        RAISE EXCEPTION 'audit subjects belong to the event just appended, not to event %', NEW.seq
            USING ERRCODE = 'insufficient_privilege';
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
