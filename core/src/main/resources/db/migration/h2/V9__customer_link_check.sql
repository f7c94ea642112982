-- On PostgreSQL, version 9 checks customer_link's customers per statement instead of per row. H2 keeps its
-- foreign key: nothing to change here.
SELECT 1;
