-- The embedded database has no roles to grant the staging of schema 23 to (see the PostgreSQL version).
SELECT 1;
