-- Files released to an applicant with a reply (the information provided, 部分公开 copies with the
-- withheld parts removed). Never public: the applicant downloads them with the query code, the
-- office from the case file.
CREATE TABLE application_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX application_files_case ON application_files(application_id, id);
