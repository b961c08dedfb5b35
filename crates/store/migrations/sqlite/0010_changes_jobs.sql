-- Several gongkai instances on one database (issue 19).
--
-- The change feed (an outbox): every write that affects public pages or search appends a row in
-- the same transaction as the write, whichever door it came through. Each instance follows the
-- feed to update its own search index and empty its own page cache. Rows are pruned by a job
-- once every instance has had time to read them.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX changes_created_at ON changes(created_at);

-- Work that must run once whichever instance takes it: claimed one at a time (FOR UPDATE SKIP
-- LOCKED on PostgreSQL, a single UPDATE … RETURNING on SQLite), retried with a growing delay.
-- `key` is unique: a job enqueued twice is one job.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at TEXT NOT NULL,
    locked_until TEXT,
    locked_by TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_due ON jobs(state, run_at);
