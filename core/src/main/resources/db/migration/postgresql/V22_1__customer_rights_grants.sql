-- Roles already given profiles get the rights 'cim db grant' now gives them for the customer's rights: every profile
-- but the auditor reads corrections; a steward corrects, restricts and erases (the rows an erase removes go through the
-- owner's cim_erase_rows below: a steward deletes no row of them itself); an importer carries corrections with the
-- merges 'codes assign' makes; an admin re-protects them ('tiers set', 'keys rotate').
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname, p.profile FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile <> 'auditor' LOOP
        EXECUTE format('GRANT SELECT ON TABLE customer_correction TO %I', r.rolname);
        IF r.profile IN ('steward', 'importer') THEN
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON TABLE customer_correction TO %I', r.rolname);
        ELSIF r.profile = 'admin' THEN
            EXECUTE format('GRANT UPDATE ON TABLE customer_correction TO %I', r.rolname);
        END IF;
    END LOOP;
END
$$;

-- The actions each profile may append (see schema 15.1, 18.1 and 19.1): the customer's rights are the steward's,
-- finding a customer every data profile's.
CREATE OR REPLACE FUNCTION cim_audit_action_profiles(action VARCHAR) RETURNS VARCHAR[]
    LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN action IN ('import', 'import.failed', 'codes.assign', 'codes.refresh', 'codes.refuse')
            THEN ARRAY['importer']
        WHEN action = 'codes.merge' THEN ARRAY['importer', 'steward']
        WHEN action IN ('codes.unmerge', 'codes.review.accept', 'codes.review.reject', 'codes.correct',
                        'codes.erase', 'codes.restrict', 'codes.report')
            THEN ARRAY['steward']
        WHEN action IN ('tiers.set', 'tiers.reprotect', 'keys.rotate', 'keys.rotate.done', 'keys.register',
                        'policy.set', 'channels.add', 'channels.set')
            THEN ARRAY['admin']
        WHEN action IN ('export', 'codes.show.unmasked', 'quality.check', 'codes.find')
            THEN ARRAY['reader', 'importer', 'steward', 'admin']
        ELSE ARRAY[]::VARCHAR[]
    END::VARCHAR[]
$$;

-- Who used a customer's data and why ('cim codes report', Art. 45), for the steward, who may not read the trail
-- itself: the events that name the customer or a code merged into it, and the exports of every customer made since
-- the first of them had a code.
CREATE FUNCTION cim_customer_uses(customer VARCHAR)
    RETURNS TABLE (seq BIGINT, occurred_at TIMESTAMP WITH TIME ZONE, actor VARCHAR, action VARCHAR,
                   object_type VARCHAR, object_id VARCHAR, row_count BIGINT, reason VARCHAR, detail VARCHAR)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.seq, e.occurred_at, e.actor, e.action, e.object_type, e.object_id, e.row_count, e.reason, e.detail
    FROM audit_event e
    WHERE e.seq IN (SELECT s.seq FROM audit_subject s WHERE s.customer_code IN
                        (SELECT c.code FROM customer c WHERE c.code = customer OR c.merged_into = customer))
       OR (e.action = 'export' AND NOT EXISTS (SELECT 1 FROM audit_subject s WHERE s.seq = e.seq)
           AND e.occurred_at >= (SELECT min(c.created_at) FROM customer c
                                 WHERE c.code = customer OR c.merged_into = customer))
    ORDER BY e.seq
$$;
REVOKE ALL ON FUNCTION cim_customer_uses(VARCHAR) FROM PUBLIC;

-- The deletes of an erase ('cim codes erase', PIPL Art. 47), for the steward, who may delete none of these rows
-- itself: only for the customer that this transaction has marked erased and whose codes.erase event this session has
-- appended in it. It finds the customer's rows as cim does (the records linked to it now, those no code holds that
-- carry one of its ID numbers or credit codes, every version of each) and deletes them with everything that names
-- them; the quarantined rows are those cim found in their sealed text, which only the keyset opens.
CREATE FUNCTION cim_erase_rows(customer VARCHAR, quarantined BIGINT[]) RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    this_tx TEXT := (txid_current() % 4294967296)::TEXT;
    codes VARCHAR[];
    systems VARCHAR[];
    keys VARCHAR[];
    strong VARCHAR[];
    named VARCHAR[];
    ids BIGINT[];
    removed BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM customer c WHERE c.code = customer AND c.erased_at IS NOT NULL
                   AND c.xmin::TEXT = this_tx)
       OR NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'codes.erase' AND e.object_id = customer
                      AND e.db_user = session_user AND e.xmin::TEXT = this_tx) THEN
        RAISE EXCEPTION 'cim_erase_rows deletes only the rows of the customer this transaction has erased and '
            'audited (cim codes erase)' USING ERRCODE = 'insufficient_privilege';
    END IF;
    codes := ARRAY(SELECT c.code FROM customer c WHERE c.code = customer OR c.merged_into = customer);
    SELECT array_agg(l.source_system), array_agg(l.source_key) INTO systems, keys
        FROM (SELECT DISTINCT source_system, source_key FROM customer_link
              WHERE customer_code = customer AND valid_to IS NULL) l;
    systems := coalesce(systems, ARRAY[]::VARCHAR[]);
    keys := coalesce(keys, ARRAY[]::VARCHAR[]);
    strong := ARRAY(SELECT b FROM (
            SELECT r.id_number_bidx AS b FROM source_record r
                WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys))
            UNION SELECT r.uscc_bidx FROM source_record r
                WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys))
            UNION SELECT c.id_number_bidx FROM customer_correction c WHERE c.code = ANY (codes)
            UNION SELECT c.uscc_bidx FROM customer_correction c WHERE c.code = ANY (codes)) s WHERE b IS NOT NULL);
    SELECT systems || coalesce(array_agg(u.source_system), ARRAY[]::VARCHAR[]),
           keys || coalesce(array_agg(u.source_key), ARRAY[]::VARCHAR[]) INTO systems, keys
        FROM (SELECT DISTINCT r.source_system, r.source_key FROM source_record r
              WHERE (r.id_number_bidx = ANY (strong) OR r.uscc_bidx = ANY (strong))
                AND NOT EXISTS (SELECT 1 FROM customer_link l WHERE l.source_system = r.source_system
                                AND l.source_key = r.source_key AND l.valid_to IS NULL)) u;
    ids := ARRAY(SELECT r.id FROM source_record r
                 WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys)));
    named := ARRAY(SELECT DISTINCT b FROM (
            SELECT unnest(ARRAY[r.id_number_bidx, r.uscc_bidx, r.org_code_bidx, r.business_licence_bidx,
                                r.mobile_bidx, r.phone_bidx, r.email_bidx, r.wechat_bidx, r.qq_bidx]) AS b
                FROM source_record r WHERE r.id = ANY (ids)
            UNION SELECT unnest(ARRAY[c.id_number_bidx, c.uscc_bidx, c.org_code_bidx, c.business_licence_bidx,
                                      c.mobile_bidx, c.phone_bidx, c.email_bidx, c.wechat_bidx, c.qq_bidx])
                FROM customer_correction c WHERE c.code = ANY (codes)) s WHERE b IS NOT NULL);

    DELETE FROM admission_pending p
        WHERE (p.source_system, p.source_key) IN (SELECT * FROM unnest(systems, keys));
    DELETE FROM record_relation x
        WHERE (x.source_system, x.source_key) IN (SELECT * FROM unnest(systems, keys))
           OR (x.target_system, x.target_key) IN (SELECT * FROM unnest(systems, keys))
           OR x.target_bidx = ANY (named);
    DELETE FROM review_item i
        WHERE i.candidate_code = ANY (codes) OR i.record_code = ANY (codes)
           OR (i.source_system, i.source_key) IN (SELECT * FROM unnest(systems, keys));
    DELETE FROM match_key m WHERE m.customer_code = ANY (codes) OR m.record_id = ANY (ids);
    DELETE FROM customer_link l
        WHERE l.customer_code = ANY (codes) OR (l.source_system, l.source_key) IN (SELECT * FROM unnest(systems, keys));
    DELETE FROM source_record r WHERE r.id = ANY (ids);
    GET DIAGNOSTICS removed = ROW_COUNT;
    DELETE FROM quarantine q WHERE q.id = ANY (quarantined);
    DELETE FROM customer_correction c WHERE c.code = ANY (codes);
    DELETE FROM customer_event v WHERE v.customer_code = ANY (codes);
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION cim_erase_rows(VARCHAR, BIGINT[]) FROM PUBLIC;
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile = 'steward' LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION cim_customer_uses(VARCHAR) TO %I', r.rolname);
        EXECUTE format('GRANT EXECUTE ON FUNCTION cim_erase_rows(VARCHAR, BIGINT[]) TO %I', r.rolname);
    END LOOP;
END
$$;
