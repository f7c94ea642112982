-- Customer codes (issue 5): what the matcher needs beyond schema v1.

-- Blocking keys: keyed hashes (never clear values) of each linked record's identifiers and name combinations,
-- so that a new record is compared only with customers that share one. Kept with the code the record is linked
-- to (updated by merges and unmerges) and the record version that produced them.
CREATE TABLE match_key (
    match_key      VARCHAR(32)  NOT NULL,
    customer_code  VARCHAR(24)  NOT NULL,
    record_id      BIGINT       NOT NULL
);
CREATE INDEX match_key_key ON match_key (match_key);
CREATE INDEX match_key_customer ON match_key (customer_code);
CREATE INDEX match_key_record ON match_key (record_id);

-- The source-record version a link was made or last refreshed from: a newer version means the record changed.
ALTER TABLE customer_link ADD COLUMN record_id BIGINT;

-- Pairs of codes a steward separated (unmerge, rejected review): the matcher never merges them again by itself.
CREATE TABLE code_separation (
    code_a      VARCHAR(24)   NOT NULL,
    code_b      VARCHAR(24)   NOT NULL,
    reason      VARCHAR(1000),
    actor       VARCHAR(100)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (code_a, code_b)
);

-- A review item is about a source record and the customer it may belong to; its own (provisional) code too.
ALTER TABLE review_item ADD COLUMN record_code VARCHAR(24);
