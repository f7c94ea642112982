-- Staging for a full match run on another engine ('codes assign --engine spark'): its workers write what they
-- computed here, one transaction per partition, each row tagged with the run's stage_job; the run then moves it all
-- into the real tables in one transaction and deletes it, so that a run that fails anywhere leaves those tables as
-- they were. Same columns as the tables they feed (no constraints: the real tables check on the way in).
CREATE TABLE match_stage_customer AS SELECT * FROM customer WITH NO DATA;
ALTER TABLE match_stage_customer ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_link AS SELECT * FROM customer_link WITH NO DATA;
ALTER TABLE match_stage_link ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_key AS SELECT * FROM match_key WITH NO DATA;
ALTER TABLE match_stage_key ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_crowded AS SELECT * FROM crowded_key WITH NO DATA;
ALTER TABLE match_stage_crowded ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_review AS SELECT * FROM review_item WITH NO DATA;
ALTER TABLE match_stage_review ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_pending AS SELECT * FROM admission_pending WITH NO DATA;
ALTER TABLE match_stage_pending ADD COLUMN stage_job BIGINT;
CREATE TABLE match_stage_relation AS SELECT * FROM record_relation WITH NO DATA;
ALTER TABLE match_stage_relation ADD COLUMN stage_job BIGINT;
