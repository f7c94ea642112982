-- As for source_record in version 6: codes assign writes a link for every record, and the foreign key from
-- customer_link to customer checked each on its own. The same guarantee, set-based: each statement's new or
-- changed links must name existing customers, and a customer with links is never deleted (cim never deletes one:
-- a merged customer stays, pointing at its survivor).
ALTER TABLE customer_link DROP CONSTRAINT customer_link_customer_code_fkey;

CREATE FUNCTION cim_customer_link_customers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing VARCHAR;
BEGIN
    SELECT n.customer_code INTO missing FROM changed n
        WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.code = n.customer_code) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'customer_link: customer % does not exist', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER customer_link_customer_on_insert AFTER INSERT ON customer_link REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_customer_link_customers();
CREATE TRIGGER customer_link_customer_on_update AFTER UPDATE ON customer_link REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_customer_link_customers();

CREATE FUNCTION cim_customer_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT 1 FROM customer_link) THEN
            RAISE EXCEPTION 'customer: links refer to its customers' USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.code = NEW.code THEN
            RETURN NEW;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM customer_link WHERE customer_code = OLD.code) THEN
        RAISE EXCEPTION 'customer: % has links', OLD.code USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER customer_kept BEFORE UPDATE OF code OR DELETE ON customer
    FOR EACH ROW EXECUTE FUNCTION cim_customer_kept();
CREATE TRIGGER customer_kept_on_truncate AFTER TRUNCATE ON customer
    FOR EACH STATEMENT EXECUTE FUNCTION cim_customer_kept();
