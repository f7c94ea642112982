-- A merge moves the absorbed customer's keys by their records (match_key_record): match_key by customer is not
-- needed. H2 has no partial indexes: customer_merged_into stays as it is.
DROP INDEX match_key_customer;
