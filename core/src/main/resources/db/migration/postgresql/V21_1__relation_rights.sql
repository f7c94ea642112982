-- Roles already given profiles get the rights 'cim db grant' now gives them on the relations: every profile but the
-- auditor reads them; an importer (who runs 'codes assign', which writes them) inserts and replaces them.
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname, p.profile FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile <> 'auditor' LOOP
        EXECUTE format('GRANT SELECT ON TABLE record_relation TO %I', r.rolname);
        IF r.profile = 'importer' THEN
            EXECUTE format('GRANT INSERT, DELETE ON TABLE record_relation TO %I', r.rolname);
        END IF;
    END LOOP;
END
$$;
