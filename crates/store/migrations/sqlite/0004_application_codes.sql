-- The query code the portal gives a person who applies online (issue 4): with it they look up
-- the state of their application without logging in and without seeing any personal data.
CREATE TABLE application_codes (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    query_code TEXT NOT NULL UNIQUE
);
