-- Roles already given profiles get the rights 'cim db grant' now gives them on the policy and the admission queue,
-- so that an upgrade needs no grant run again: every profile but the auditor reads both; an importer (who runs
-- 'codes assign') writes the queue; an admin sets the policy.
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname, p.profile FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile <> 'auditor' LOOP
        EXECUTE format('GRANT SELECT ON TABLE customer_policy, admission_pending TO %I', r.rolname);
        IF r.profile = 'importer' THEN
            EXECUTE format('GRANT INSERT, DELETE ON TABLE admission_pending TO %I', r.rolname);
        END IF;
        IF r.profile = 'admin' THEN
            EXECUTE format('GRANT INSERT ON TABLE customer_policy TO %I', r.rolname);
        END IF;
    END LOOP;
END
$$;

-- What checking the policy's signature reads of the trail (the newest policy.set event: its number, the version it
-- set and its detail, which holds the file's SHA-256), for the roles that may not read the trail itself: a newer
-- policy deleted outside cim, to bring an older signed one back, or a row that is not the one the event set, is
-- found by it.
CREATE FUNCTION cim_policy_last_set() RETURNS TABLE (seq BIGINT, version VARCHAR, detail VARCHAR)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT seq, object_id, detail FROM audit_event WHERE action = 'policy.set' ORDER BY seq DESC LIMIT 1
$$;

-- The actions each profile may append (see schema 15.1): codes assign's refusals are the importer's, a policy is the
-- admin's.
CREATE OR REPLACE FUNCTION cim_audit_action_profiles(action VARCHAR) RETURNS VARCHAR[]
    LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN action IN ('import', 'import.failed', 'codes.assign', 'codes.refresh', 'codes.refuse')
            THEN ARRAY['importer']
        WHEN action = 'codes.merge' THEN ARRAY['importer', 'steward']
        WHEN action IN ('codes.unmerge', 'codes.review.accept', 'codes.review.reject') THEN ARRAY['steward']
        WHEN action IN ('tiers.set', 'tiers.reprotect', 'keys.rotate', 'keys.rotate.done', 'keys.register',
                        'policy.set')
            THEN ARRAY['admin']
        WHEN action IN ('export', 'codes.show.unmasked', 'quality.check')
            THEN ARRAY['reader', 'importer', 'steward', 'admin']
        ELSE ARRAY[]::VARCHAR[]
    END::VARCHAR[]
$$;
