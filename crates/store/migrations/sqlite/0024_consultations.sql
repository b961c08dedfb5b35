-- 意见征集: a draft put out for public comment for a period, the comments received through the
-- portal (the commenter's name and contact are for the office only), and the feedback the office
-- publishes on what it adopted and why (采纳情况).
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    feedback TEXT NOT NULL DEFAULT '',
    feedback_on TEXT,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX consultations_organ ON consultations(organ_id, starts_on);

CREATE TABLE consultation_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    received_on TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The form's one-time token's code: the same form sent twice files one comment.
    form_code TEXT NOT NULL UNIQUE
);
CREATE INDEX consultation_comments_of ON consultation_comments(consultation_id, id);
