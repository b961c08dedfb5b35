-- A step of a case recorded by mistake is voided, never deleted: one row per voided event, with
-- who voided it, when and why. The case's state and deadline are derived from the events that
-- are not voided; the void itself is also announced in the event log (a DeadlineRecomputed event
-- naming the step and the reason).
CREATE TABLE application_voids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event_seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (application_id, event_seq)
);
