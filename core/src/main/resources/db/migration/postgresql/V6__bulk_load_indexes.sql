-- Bulk loading: every import writes each of these indexes once per row, so they are made cheaper to write.
--
-- Blind indexes are only ever compared for equality: hash indexes (smaller, cheaper to insert into than a B-tree
-- over 32-character keys), and partial, since most records have no credit code, organisation code or e-mail.
DROP INDEX source_record_id_number;
DROP INDEX source_record_mobile;
DROP INDEX source_record_email;
DROP INDEX source_record_uscc;
DROP INDEX source_record_org_code;
CREATE INDEX source_record_id_number ON source_record USING hash (id_number_bidx) WHERE id_number_bidx IS NOT NULL;
CREATE INDEX source_record_mobile ON source_record USING hash (mobile_bidx) WHERE mobile_bidx IS NOT NULL;
CREATE INDEX source_record_email ON source_record USING hash (email_bidx) WHERE email_bidx IS NOT NULL;
CREATE INDEX source_record_uscc ON source_record USING hash (uscc_bidx) WHERE uscc_bidx IS NOT NULL;
CREATE INDEX source_record_org_code ON source_record USING hash (org_code_bidx) WHERE org_code_bidx IS NOT NULL;

-- The foreign key from source_record to import_batch checked every row on its own. The same guarantee, set-based:
-- each statement's new or changed rows must name existing batches, and a batch with records is never deleted.
ALTER TABLE source_record DROP CONSTRAINT source_record_batch_id_fkey;

CREATE FUNCTION cim_source_record_batches() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing BIGINT;
BEGIN
    SELECT n.batch_id INTO missing FROM changed n
        WHERE NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.id = n.batch_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'source_record: batch % does not exist in import_batch', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER source_record_batch_on_insert AFTER INSERT ON source_record REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_source_record_batches();
CREATE TRIGGER source_record_batch_on_update AFTER UPDATE ON source_record REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_source_record_batches();

CREATE FUNCTION cim_import_batch_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT 1 FROM source_record) THEN
            RAISE EXCEPTION 'import_batch: source records refer to its batches'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.id = NEW.id THEN
            RETURN NEW;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM source_record WHERE batch_id = OLD.id) THEN
        RAISE EXCEPTION 'import_batch: batch % has source records', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER import_batch_kept BEFORE UPDATE OF id OR DELETE ON import_batch
    FOR EACH ROW EXECUTE FUNCTION cim_import_batch_kept();
CREATE TRIGGER import_batch_kept_on_truncate AFTER TRUNCATE ON import_batch
    FOR EACH STATEMENT EXECUTE FUNCTION cim_import_batch_kept();
