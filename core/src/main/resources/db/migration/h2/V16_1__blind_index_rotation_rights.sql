-- The embedded database has one local user, who may do everything: nothing to grant here.
COMMENT ON TABLE key_rotation IS 'key rotations: encryption or blind_index';
