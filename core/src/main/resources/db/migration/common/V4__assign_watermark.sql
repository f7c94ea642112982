-- How far a job has done its work for good: for `codes assign`, every current source record with an id up to
-- done_through has a code (set at the end of a whole run), so the next run looks only at newer records.
CREATE TABLE job_state (
    name          VARCHAR(40)  NOT NULL PRIMARY KEY,
    done_through  BIGINT       NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
