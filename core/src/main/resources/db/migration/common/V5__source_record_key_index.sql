-- The current version of a channel + key is found through source_record_version (source_system, source_key,
-- version): every key has a handful of versions at most. The separate (source_system, source_key, is_current)
-- index only cost time on every import.
DROP INDEX source_record_key;
