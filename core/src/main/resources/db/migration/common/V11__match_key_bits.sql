-- Blocking keys as numbers: the first 64 bits of their keyed hash (the matcher's in-memory keys were already
-- these). A 64-bit key is a quarter of the 32 hex characters' row and index, and a B-tree over it is cheaper to
-- write than the hash index over the text was; two different keys sharing their first 64 bits would only make
-- the matcher compare one more candidate. Written so that both databases run it: the hex digits are read one by
-- one (the first carries the sign of the two's complement).

ALTER TABLE match_key ADD COLUMN key_bits BIGINT;
UPDATE match_key SET key_bits =
      (CAST(POSITION(SUBSTRING(match_key FROM 1 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT)
        - CASE WHEN SUBSTRING(match_key FROM 1 FOR 1) > '7' THEN 16 ELSE 0 END) * 1152921504606846976
    + CAST(POSITION(SUBSTRING(match_key FROM 2 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 72057594037927936
    + CAST(POSITION(SUBSTRING(match_key FROM 3 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4503599627370496
    + CAST(POSITION(SUBSTRING(match_key FROM 4 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 281474976710656
    + CAST(POSITION(SUBSTRING(match_key FROM 5 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 17592186044416
    + CAST(POSITION(SUBSTRING(match_key FROM 6 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 1099511627776
    + CAST(POSITION(SUBSTRING(match_key FROM 7 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 68719476736
    + CAST(POSITION(SUBSTRING(match_key FROM 8 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4294967296
    + CAST(POSITION(SUBSTRING(match_key FROM 9 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 268435456
    + CAST(POSITION(SUBSTRING(match_key FROM 10 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 16777216
    + CAST(POSITION(SUBSTRING(match_key FROM 11 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 1048576
    + CAST(POSITION(SUBSTRING(match_key FROM 12 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 65536
    + CAST(POSITION(SUBSTRING(match_key FROM 13 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4096
    + CAST(POSITION(SUBSTRING(match_key FROM 14 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 256
    + CAST(POSITION(SUBSTRING(match_key FROM 15 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 16
    + CAST(POSITION(SUBSTRING(match_key FROM 16 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT);
ALTER TABLE match_key DROP COLUMN match_key;
ALTER TABLE match_key RENAME COLUMN key_bits TO match_key;
ALTER TABLE match_key ALTER COLUMN match_key SET NOT NULL;
CREATE INDEX match_key_key ON match_key (match_key);

-- two crowded keys with the same first 64 bits become one
CREATE TABLE crowded_key_bits (
    match_key  BIGINT  NOT NULL PRIMARY KEY
);
INSERT INTO crowded_key_bits (match_key) SELECT DISTINCT
      (CAST(POSITION(SUBSTRING(match_key FROM 1 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT)
        - CASE WHEN SUBSTRING(match_key FROM 1 FOR 1) > '7' THEN 16 ELSE 0 END) * 1152921504606846976
    + CAST(POSITION(SUBSTRING(match_key FROM 2 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 72057594037927936
    + CAST(POSITION(SUBSTRING(match_key FROM 3 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4503599627370496
    + CAST(POSITION(SUBSTRING(match_key FROM 4 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 281474976710656
    + CAST(POSITION(SUBSTRING(match_key FROM 5 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 17592186044416
    + CAST(POSITION(SUBSTRING(match_key FROM 6 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 1099511627776
    + CAST(POSITION(SUBSTRING(match_key FROM 7 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 68719476736
    + CAST(POSITION(SUBSTRING(match_key FROM 8 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4294967296
    + CAST(POSITION(SUBSTRING(match_key FROM 9 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 268435456
    + CAST(POSITION(SUBSTRING(match_key FROM 10 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 16777216
    + CAST(POSITION(SUBSTRING(match_key FROM 11 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 1048576
    + CAST(POSITION(SUBSTRING(match_key FROM 12 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 65536
    + CAST(POSITION(SUBSTRING(match_key FROM 13 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 4096
    + CAST(POSITION(SUBSTRING(match_key FROM 14 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 256
    + CAST(POSITION(SUBSTRING(match_key FROM 15 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT) * 16
    + CAST(POSITION(SUBSTRING(match_key FROM 16 FOR 1) IN '0123456789abcdef') - 1 AS BIGINT)
    FROM crowded_key;
DROP TABLE crowded_key;
ALTER TABLE crowded_key_bits RENAME TO crowded_key;
