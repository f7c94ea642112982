-- Roles already given profiles get the rights 'cim db grant' now gives them on the channel list: every profile but
-- the auditor reads it (an import checks its channel there); an admin adds and changes channels.
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname, p.profile FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile <> 'auditor' LOOP
        EXECUTE format('GRANT SELECT ON TABLE channel TO %I', r.rolname);
        IF r.profile = 'admin' THEN
            EXECUTE format('GRANT INSERT, UPDATE ON TABLE channel TO %I', r.rolname);
        END IF;
    END LOOP;
END
$$;

-- What checking the channels' signatures reads of the trail (the newest channels.add or channels.set event of each
-- channel), for the roles that may not read the trail itself.
CREATE FUNCTION cim_channel_last_set() RETURNS TABLE (code VARCHAR, last_seq BIGINT)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT object_id, max(seq) FROM audit_event WHERE action IN ('channels.add', 'channels.set')
        AND object_type = 'channel' GROUP BY object_id
$$;

-- The actions each profile may append (see schema 15.1 and 18.1): channels are the admin's.
CREATE OR REPLACE FUNCTION cim_audit_action_profiles(action VARCHAR) RETURNS VARCHAR[]
    LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN action IN ('import', 'import.failed', 'codes.assign', 'codes.refresh', 'codes.refuse')
            THEN ARRAY['importer']
        WHEN action = 'codes.merge' THEN ARRAY['importer', 'steward']
        WHEN action IN ('codes.unmerge', 'codes.review.accept', 'codes.review.reject') THEN ARRAY['steward']
        WHEN action IN ('tiers.set', 'tiers.reprotect', 'keys.rotate', 'keys.rotate.done', 'keys.register',
                        'policy.set', 'channels.add', 'channels.set')
            THEN ARRAY['admin']
        WHEN action IN ('export', 'codes.show.unmasked', 'quality.check')
            THEN ARRAY['reader', 'importer', 'steward', 'admin']
        ELSE ARRAY[]::VARCHAR[]
    END::VARCHAR[]
$$;
