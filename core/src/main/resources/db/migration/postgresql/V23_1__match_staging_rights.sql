-- The staging of a full match run (schema 23) is scratch space: unlogged (not written twice, not replicated; a crash
-- empties it, which only fails a run that was under way), and used by the importer profile, which runs 'codes assign'.
-- An importer may already insert into the tables it feeds, so it gains no right on the customer file by it.
ALTER TABLE match_stage_customer SET UNLOGGED;
ALTER TABLE match_stage_link SET UNLOGGED;
ALTER TABLE match_stage_key SET UNLOGGED;
ALTER TABLE match_stage_crowded SET UNLOGGED;
ALTER TABLE match_stage_review SET UNLOGGED;
ALTER TABLE match_stage_pending SET UNLOGGED;
ALTER TABLE match_stage_relation SET UNLOGGED;

DO $$
DECLARE
    r RECORD;
    t TEXT;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile = 'importer' LOOP
        FOREACH t IN ARRAY ARRAY['match_stage_customer', 'match_stage_link', 'match_stage_key', 'match_stage_crowded',
                                 'match_stage_review', 'match_stage_pending', 'match_stage_relation'] LOOP
            EXECUTE format('GRANT SELECT, INSERT, DELETE ON TABLE %I TO %I', t, r.rolname);
        END LOOP;
    END LOOP;
END
$$;
