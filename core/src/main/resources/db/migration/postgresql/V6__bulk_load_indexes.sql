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

-- The foreign key from source_record to import_batch checked every row on its own. The same guarantee, set-based,
-- by two functions that version 9 uses again for customer_link:
-- cim_references_exist(column, parent, parent_column): each statement's new or changed rows must name existing
-- parents; cim_referenced_kept(column, child, child_column): a parent that rows refer to is not deleted, given
-- another key, or truncated away (checked after the truncate, so truncating both tables together works).
ALTER TABLE source_record DROP CONSTRAINT source_record_batch_id_fkey;

CREATE FUNCTION cim_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing TEXT;
BEGIN
    EXECUTE format('SELECT n.%1$I::text FROM changed n WHERE NOT EXISTS '
                   '(SELECT 1 FROM %2$I p WHERE p.%3$I = n.%1$I) LIMIT 1', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
        INTO missing;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '%: % % does not exist in %', TG_TABLE_NAME, TG_ARGV[0], missing, TG_ARGV[1]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION cim_referenced_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    referred BOOLEAN;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_ARGV[1]) INTO referred;
    ELSE
        IF TG_OP = 'UPDATE' THEN
            EXECUTE format('SELECT ($1).%1$I = ($2).%1$I', TG_ARGV[0]) INTO referred USING OLD, NEW;
            IF referred THEN
                RETURN NEW;
            END IF;
        END IF;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I c WHERE c.%I = ($1).%I)', TG_ARGV[1], TG_ARGV[2], TG_ARGV[0])
            INTO referred USING OLD;
    END IF;
    IF referred THEN
        RAISE EXCEPTION '%: rows of % refer to it', TG_TABLE_NAME, TG_ARGV[1]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD WHEN 'UPDATE' THEN NEW END;
END;
$$;

CREATE TRIGGER source_record_batch_on_insert AFTER INSERT ON source_record REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_references_exist('batch_id', 'import_batch', 'id');
CREATE TRIGGER source_record_batch_on_update AFTER UPDATE ON source_record REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_references_exist('batch_id', 'import_batch', 'id');
CREATE TRIGGER import_batch_kept BEFORE UPDATE OF id OR DELETE ON import_batch
    FOR EACH ROW EXECUTE FUNCTION cim_referenced_kept('id', 'source_record', 'batch_id');
CREATE TRIGGER import_batch_kept_on_truncate AFTER TRUNCATE ON import_batch
    FOR EACH STATEMENT EXECUTE FUNCTION cim_referenced_kept('id', 'source_record', 'batch_id');
