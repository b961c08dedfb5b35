-- The download files of a published report version, made once on the first download and kept:
-- a published version never changes, so neither do its files. Every instance on the database
-- reads the same row (the first to finish a render inserts it; the others' inserts do nothing).
CREATE TABLE report_files (
    report_id BIGINT NOT NULL REFERENCES published_reports(id),
    format TEXT NOT NULL,
    data BYTEA NOT NULL,
    made_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, format)
);
