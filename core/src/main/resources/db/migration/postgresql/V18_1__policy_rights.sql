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
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON TABLE admission_pending TO %I', r.rolname);
        END IF;
        IF r.profile = 'admin' THEN
            EXECUTE format('GRANT INSERT ON TABLE customer_policy TO %I', r.rolname);
        END IF;
    END LOOP;
END
$$;

-- What checking the policy's signature reads of the trail (the newest policy.set event), for the roles that may not
-- read the trail itself: a newer policy deleted outside cim, to bring an older signed one back, is found by it.
CREATE FUNCTION cim_policy_last_set() RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT max(seq) FROM audit_event WHERE action = 'policy.set'
$$;
