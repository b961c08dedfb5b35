-- Disclosure on application (issue 3). SQLite flavour; the PostgreSQL file has the same tables.
-- The event log is the truth of a case; the columns of `applications` after `description` are a
-- cache derived from it (status, deadline, result) so lists and the annual report need no replay.
-- Personal data (identity document, contact, address) lives only in the registration event's
-- payload; `applicant_name` and `applicant_key` are kept for search and for counting an
-- applicant's applications per month (按件计收), and are masked on output.

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    number TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'in_person', 'post', 'fax', 'email')),
    applicant_type TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_key TEXT NOT NULL,
    received_on TEXT NOT NULL,
    description TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    due_on TEXT,
    closed_on TEXT,
    result TEXT,
    fee_paid_fen INTEGER NOT NULL DEFAULT 0,
    UNIQUE (organ_id, number),
    UNIQUE (organ_id, year, seq)
);
CREATE INDEX applications_organ_received ON applications(organ_id, received_on);
CREATE INDEX applications_applicant ON applications(organ_id, applicant_key, received_on);

-- Append-only: rows are never updated or deleted.
CREATE TABLE application_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (application_id, seq)
);

-- Per organ and year, the last application number and the last notice number handed out.
CREATE TABLE application_sequences (
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('application', 'notice')),
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (organ_id, year, kind)
);

-- Per organ: the prefix of its notice numbers (灵教 in 灵教依申请告〔2021〕3号) and of its
-- application numbers (LWJT in LWJT-2021-0002). Empty means the defaults (short name; none).
CREATE TABLE application_settings (
    organ_id INTEGER PRIMARY KEY REFERENCES organs(id),
    notice_prefix TEXT NOT NULL DEFAULT '',
    number_prefix TEXT NOT NULL DEFAULT ''
);

-- Notices issued, by the event that issued them; the content is rebuilt from the log.
CREATE TABLE application_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event_seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('supplement', 'extension', 'fee', 'reply')),
    number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL
);
CREATE INDEX application_notices_app ON application_notices(application_id);

-- Calendar years imported by an administrator; they override the built-in year of the same number.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
