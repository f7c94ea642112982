-- cim schema 22.2: an erase that no role can turn against another customer's data.
--
-- A link is ended or refreshed, never handed to another customer: cim inserts a new link for a record that moves,
-- so the history shows where its data went. A role that could rewrite customer_link.customer_code could bring a
-- record under a code and have it erased there, the audit event naming that code. Roles already given the importer
-- or steward profile keep UPDATE of the columns cim changes only ('cim db grant' gives the same).
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT DISTINCT g.rolname FROM role_profile p JOIN pg_roles g ON g.oid = p.role_oid
             WHERE p.profile IN ('steward', 'importer') LOOP
        EXECUTE format('REVOKE UPDATE ON TABLE customer_link FROM %I', r.rolname);
        EXECUTE format('GRANT UPDATE (valid_to, ended_by, record_id) ON TABLE customer_link TO %I', r.rolname);
    END LOOP;
END
$$;

-- The deletes of an erase, as in 22.1, also refused when the customer's links, merges or corrections changed in the
-- erase's own transaction; the identifiers that reach records no code holds are its valid ID numbers and credit
-- codes of its current records, of its customer type; relations go by the identifiers that are its alone; match
-- keys go by record (indexed), links by record key and the ended ones of its codes, records by key (a version
-- imported meanwhile too).
CREATE OR REPLACE FUNCTION cim_erase_rows(customer VARCHAR, quarantined BIGINT[]) RETURNS BIGINT
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
                   AND c.merged_into IS NULL AND c.xmin::TEXT = this_tx)
       OR NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'codes.erase' AND e.object_id = customer
                      AND e.db_user = session_user AND e.xmin::TEXT = this_tx) THEN
        RAISE EXCEPTION 'cim_erase_rows deletes only the rows of the customer this transaction has erased and '
            'audited (cim codes erase)' USING ERRCODE = 'insufficient_privilege';
    END IF;
    codes := ARRAY(SELECT c.code FROM customer c WHERE c.code = customer OR c.merged_into = customer);
    IF EXISTS (SELECT 1 FROM customer c WHERE c.merged_into = customer AND c.xmin::TEXT = this_tx)
       OR EXISTS (SELECT 1 FROM customer_link l WHERE l.customer_code = ANY (codes) AND l.xmin::TEXT = this_tx)
       OR EXISTS (SELECT 1 FROM customer_correction c WHERE c.code = ANY (codes) AND c.xmin::TEXT = this_tx) THEN
        RAISE EXCEPTION 'cim_erase_rows refuses: the links, merges or corrections of % changed in this transaction',
            customer USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT array_agg(l.source_system), array_agg(l.source_key) INTO systems, keys
        FROM (SELECT DISTINCT source_system, source_key FROM customer_link
              WHERE customer_code = customer AND valid_to IS NULL) l;
    systems := coalesce(systems, ARRAY[]::VARCHAR[]);
    keys := coalesce(keys, ARRAY[]::VARCHAR[]);
    -- its identifiers that name it alone: the valid ID numbers and credit codes of its current records
    strong := ARRAY(SELECT b FROM (
            SELECT r.id_number_bidx AS b FROM source_record r
                WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys)) AND r.is_current
                  AND (r.issues IS NULL OR NOT (r.issues::JSONB ? 'id_number'))
            UNION SELECT r.uscc_bidx FROM source_record r
                WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys)) AND r.is_current
                  AND (r.issues IS NULL OR NOT (r.issues::JSONB ? 'uscc'))) s WHERE b IS NOT NULL);
    SELECT systems || coalesce(array_agg(u.source_system), ARRAY[]::VARCHAR[]),
           keys || coalesce(array_agg(u.source_key), ARRAY[]::VARCHAR[]) INTO systems, keys
        FROM (SELECT DISTINCT r.source_system, r.source_key FROM source_record r
              WHERE (r.id_number_bidx = ANY (strong) OR r.uscc_bidx = ANY (strong))
                AND r.customer_type IS NOT DISTINCT FROM (SELECT c.customer_type FROM customer c WHERE c.code = customer)
                AND NOT EXISTS (SELECT 1 FROM customer_link l WHERE l.source_system = r.source_system
                                AND l.source_key = r.source_key AND l.valid_to IS NULL)) u;
    ids := ARRAY(SELECT r.id FROM source_record r
                 WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys)));
    -- the identifiers relations may name it by that are its alone (a shared landline or e-mail is not)
    named := ARRAY(SELECT DISTINCT b FROM (
            SELECT unnest(ARRAY[r.id_number_bidx, r.uscc_bidx, r.org_code_bidx, r.business_licence_bidx]) AS b
                FROM source_record r WHERE r.id = ANY (ids)
            UNION SELECT unnest(ARRAY[c.id_number_bidx, c.uscc_bidx, c.org_code_bidx, c.business_licence_bidx])
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
    -- a record's blocking keys follow it through merges: by record (indexed), not by customer (not indexed)
    DELETE FROM match_key m WHERE m.record_id = ANY (ids);
    DELETE FROM customer_link l WHERE (l.source_system, l.source_key) IN (SELECT * FROM unnest(systems, keys));
    -- the history of its codes: links ended long ago, of records now elsewhere (a current one is another's record)
    DELETE FROM customer_link l WHERE l.customer_code = ANY (codes) AND l.valid_to IS NOT NULL;
    -- by key: also a version imported since the ids were read
    DELETE FROM source_record r WHERE (r.source_system, r.source_key) IN (SELECT * FROM unnest(systems, keys));
    GET DIAGNOSTICS removed = ROW_COUNT;
    DELETE FROM quarantine q WHERE q.id = ANY (quarantined);
    DELETE FROM customer_correction c WHERE c.code = ANY (codes);
    DELETE FROM customer_event v WHERE v.customer_code = ANY (codes);
    RETURN removed;
END;
$$;

-- An export for the regulatory purpose includes the customers restricted to it: a reveal, for stewards and admins
-- only (schema 15.1), whatever the client checked.
CREATE OR REPLACE FUNCTION cim_audit_reveals(action VARCHAR, detail VARCHAR) RETURNS BOOLEAN
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
    IF detail ~ '"reveal"' OR detail ~ '"mask"\s*:\s*"none"' OR detail ~ '"purpose"\s*:\s*"regulatory"' THEN
        RETURN TRUE;
    END IF;
    BEGIN
        doc := detail::jsonb;
    EXCEPTION WHEN others THEN
        RETURN TRUE;
    END;
    RETURN jsonb_typeof(doc) <> 'object' OR doc ? 'reveal' OR doc ->> 'mask' = 'none'
        OR doc ->> 'purpose' = 'regulatory';
END;
$$;
