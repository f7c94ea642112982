-- Indexes every codes assign chunk paid for and almost nothing used:
-- match_key by customer: a merge moves the absorbed customer's keys by their records (match_key_record) instead;
-- customer by merged_into: only merged customers are looked up by it, so only they are indexed.
DROP INDEX match_key_customer;
DROP INDEX customer_merged_into;
CREATE INDEX customer_merged_into ON customer (merged_into) WHERE merged_into IS NOT NULL;
