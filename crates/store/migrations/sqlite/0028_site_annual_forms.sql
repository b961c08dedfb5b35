-- 政府网站工作年度报表: per year, the figures only the site's operator knows (JSON, field code →
-- value; the figures from the records are counted when the form is shown), and the form as
-- published (JSON lines, frozen) with its day.
CREATE TABLE site_annual_forms (
    year INTEGER PRIMARY KEY,
    entered TEXT NOT NULL DEFAULT '{}',
    published TEXT,
    published_on TEXT
);
