-- The embedded database has one local user, who may do everything: nothing to harden here (PostgreSQL's 22.2 narrows
-- the roles' rights on links and the owner's erase function).
COMMENT ON TABLE customer_link IS 'source record -> customer code, with why; a closed link (valid_to) is history';
