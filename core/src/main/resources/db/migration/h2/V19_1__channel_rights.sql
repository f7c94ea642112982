-- The embedded database has one local user, who may do everything: nothing to grant here.
COMMENT ON TABLE channel IS 'the channels that collect customer information, and who answers for each';
