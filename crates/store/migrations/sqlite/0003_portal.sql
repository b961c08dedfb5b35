-- The portal and the back office (issue 4): people who log in, their sessions, login throttling,
-- API tokens, the audit log, and the records only the portal needs (guide settings, item bodies,
-- policy interpretations, 公示, frozen published reports, online letters). SQLite flavour: the
-- PostgreSQL file has the same tables and columns. Timestamps are UTC, RFC 3339 text here.

-- One role per account, scoped to an organ (and its units); a system administrator has no organ.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('sysadmin', 'organ_admin', 'editor', 'reviewer', 'handler', 'supervisor')),
    organ_id INTEGER REFERENCES organs(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    CHECK ((role = 'sysadmin') = (organ_id IS NULL))
);

-- Only a hash of the session token is stored: a copy of the table does not let anyone log in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per key (a user name, or a client address), for throttling and lockout.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failure_at TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

-- Every change made through the portal: who, when, what, and the record before and after (JSON).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    organ_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);

-- What the 政府信息公开指南 (art. 12) says about the office; one row per organ.
CREATE TABLE organ_settings (
    organ_id INTEGER PRIMARY KEY REFERENCES organs(id),
    office_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT ''
);

-- The full text of a catalogue item (the catalogue keeps only a summary).
CREATE TABLE item_bodies (
    item_id INTEGER PRIMARY KEY REFERENCES catalogue_items(id) ON DELETE CASCADE,
    body TEXT NOT NULL
);

-- Attachments of catalogue items; size and type are checked before they get here.
CREATE TABLE item_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES catalogue_items(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);

-- A policy document and its interpretation (政策解读), both catalogue items, linked both ways.
CREATE TABLE item_interpretations (
    policy_id INTEGER NOT NULL REFERENCES catalogue_items(id) ON DELETE CASCADE,
    interpretation_id INTEGER NOT NULL REFERENCES catalogue_items(id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, interpretation_id),
    CHECK (policy_id <> interpretation_id)
);

-- 公示: a notice shown for a period.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_on >= starts_on)
);

-- The working copy of a year's report: generated from the records, then its texts edited.
CREATE TABLE report_drafts (
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    year INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    PRIMARY KEY (organ_id, year)
);

-- Published reports are frozen: rows are only ever inserted. A correction is a new version with
-- its reason; every version stays visible.
CREATE TABLE published_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    html TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (organ_id, year, version)
);

-- A letter sent through the portal's form: the query code the writer gets, their private
-- contact (never shown publicly), and whether the reply may be published.
CREATE TABLE letter_portal (
    letter_id INTEGER PRIMARY KEY REFERENCES letters(id) ON DELETE CASCADE,
    query_code TEXT NOT NULL UNIQUE,
    writer_name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL,
    reply_public INTEGER NOT NULL DEFAULT 0
);
