-- As for source_record in version 6: the customer's blind indexes and the matcher's blocking keys are only ever
-- compared for equality (also as IN lists, which a hash index serves through a bitmap scan), and codes assign
-- writes them for every record: hash indexes, cheaper to insert into than B-trees over 32-character keys.
DROP INDEX customer_id_number;
DROP INDEX customer_mobile;
DROP INDEX customer_email;
DROP INDEX customer_uscc;
CREATE INDEX customer_id_number ON customer USING hash (id_number_bidx) WHERE id_number_bidx IS NOT NULL;
CREATE INDEX customer_mobile ON customer USING hash (mobile_bidx) WHERE mobile_bidx IS NOT NULL;
CREATE INDEX customer_email ON customer USING hash (email_bidx) WHERE email_bidx IS NOT NULL;
CREATE INDEX customer_uscc ON customer USING hash (uscc_bidx) WHERE uscc_bidx IS NOT NULL;
DROP INDEX match_key_key;
CREATE INDEX match_key_key ON match_key USING hash (match_key);
