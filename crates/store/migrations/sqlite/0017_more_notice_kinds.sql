-- The letters of art. 32 and art. 35 are numbered notices too (issue 35): the request that the
-- applicant explain the reasons (reasons), the written consultation of a third party
-- (consultation) and the notice to an objecting third party before disclosure (disclosure).
-- SQLite cannot change a CHECK constraint: the table is made again with the wider one.
CREATE TABLE application_notices_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event_seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('supplement', 'extension', 'fee', 'reply', 'reasons', 'consultation', 'disclosure')),
    number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL
);
INSERT INTO application_notices_new (id, application_id, event_seq, kind, number, issued_on)
    SELECT id, application_id, event_seq, kind, number, issued_on FROM application_notices;
DROP TABLE application_notices;
ALTER TABLE application_notices_new RENAME TO application_notices;
CREATE INDEX application_notices_app ON application_notices(application_id);
