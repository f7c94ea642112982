-- As for source_record in version 6: codes assign writes a link for every record, and the foreign key from
-- customer_link to customer checked each on its own. The same guarantee, set-based (version 6's functions): each
-- statement's new or changed links must name existing customers, and a customer with links is not deleted, given
-- another code or truncated away (cim never deletes one: a merged customer stays, pointing at its survivor).
ALTER TABLE customer_link DROP CONSTRAINT customer_link_customer_code_fkey;

CREATE TRIGGER customer_link_customer_on_insert AFTER INSERT ON customer_link REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_references_exist('customer_code', 'customer', 'code');
CREATE TRIGGER customer_link_customer_on_update AFTER UPDATE ON customer_link REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION cim_references_exist('customer_code', 'customer', 'code');
CREATE TRIGGER customer_kept BEFORE UPDATE OF code OR DELETE ON customer
    FOR EACH ROW EXECUTE FUNCTION cim_referenced_kept('code', 'customer_link', 'customer_code');
CREATE TRIGGER customer_kept_on_truncate AFTER TRUNCATE ON customer
    FOR EACH STATEMENT EXECUTE FUNCTION cim_referenced_kept('code', 'customer_link', 'customer_code');
