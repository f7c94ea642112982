-- On PostgreSQL, version 7 makes the customer's blind indexes and the blocking keys' index hash indexes. H2 keeps
-- its B-trees: nothing to change here.
SELECT 1;
