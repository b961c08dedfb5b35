-- The records an organ keeps (issue 2). SQLite flavour: the PostgreSQL file has the same tables,
-- columns and constraints; only the identity columns and types differ. Dates are ISO text
-- (YYYY-MM-DD), so text comparison orders them; amounts are integer 分 (fen), never floats.

CREATE TABLE organs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'department' CHECK (kind IN ('department', 'government')),
    parent_id INTEGER REFERENCES organs(id),
    index_pattern TEXT NOT NULL DEFAULT '{code}/{year}-{seq:05}'
);

-- The catalogue tree of each organ (主题分类). Names are unique among siblings.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    parent_id INTEGER REFERENCES categories(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX categories_sibling_name ON categories(organ_id, COALESCE(parent_id, 0), name);

-- Per organ and year, the last sequence number handed out for 索引号: numbers are never reused,
-- even after an item is deleted, because the counter only moves forward.
CREATE TABLE index_sequences (
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (organ_id, year)
);

CREATE TABLE catalogue_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    index_no TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    category_id INTEGER NOT NULL REFERENCES categories(id),
    issuing_unit TEXT NOT NULL DEFAULT '',
    written_on TEXT,
    published_on TEXT,
    doc_number TEXT NOT NULL DEFAULT '',
    doc_kind TEXT NOT NULL DEFAULT 'other' CHECK (doc_kind IN ('regulation', 'normative', 'other')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published', 'withdrawn'))
);
CREATE INDEX catalogue_items_organ ON catalogue_items(organ_id, published_on);

-- Dated changes of an item's validity (有效/修订/废止/失效); the latest change on or before a
-- date is the validity on that date.
CREATE TABLE validity_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES catalogue_items(id) ON DELETE CASCADE,
    changed_on TEXT NOT NULL,
    validity TEXT NOT NULL CHECK (validity IN ('in_force', 'amended', 'repealed', 'expired')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX validity_changes_item ON validity_changes(item_id, changed_on);

-- 事项 on the organ's published lists, with the dates they entered and left the list.
CREATE TABLE matters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    kind TEXT NOT NULL CHECK (kind IN ('licensing', 'other_service', 'penalty', 'enforcement', 'fee')),
    name TEXT NOT NULL,
    listed_on TEXT NOT NULL,
    delisted_on TEXT,
    UNIQUE (organ_id, kind, name)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    decided_on TEXT NOT NULL,
    number TEXT NOT NULL
);
CREATE INDEX decisions_matter ON decisions(matter_id, decided_on);

CREATE TABLE fees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    collected_on TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE procurements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    name TEXT NOT NULL,
    contracted_on TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0)
);

-- Administrative review and litigation. The application is named by its number (text), since
-- applications live in a later migration and may come from before the system was used.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    kind TEXT NOT NULL CHECK (kind IN ('review', 'suit_direct', 'suit_after_review')),
    case_number TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    application_number TEXT NOT NULL DEFAULT '',
    outcome TEXT CHECK (outcome IN ('upheld', 'corrected', 'other')),
    decided_on TEXT,
    CHECK ((outcome IS NULL) = (decided_on IS NULL))
);

-- Channels letters and complaints arrive by; configurable, seeded with the usual ones.
CREATE TABLE letter_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO letter_channels (name, full_name, position) VALUES
    ('12345热线', '银川市12345一号通平台', 1),
    ('微博', '官方微博', 2),
    ('信访转办', '信访部门转办', 3),
    ('局长信箱', '局长信箱', 4),
    ('政民互动平台', '银川政民互动平台', 5);

CREATE TABLE letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    channel_id INTEGER NOT NULL REFERENCES letter_channels(id),
    received_on TEXT NOT NULL,
    subject TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    replied_on TEXT,
    due_on TEXT
);
CREATE INDEX letters_organ ON letters(organ_id, received_on);

-- The text sections of a report, per organ, year and section (1–6), as edited by the office.
CREATE TABLE report_texts (
    organ_id INTEGER NOT NULL REFERENCES organs(id),
    year INTEGER NOT NULL,
    section INTEGER NOT NULL CHECK (section BETWEEN 1 AND 6),
    body TEXT NOT NULL,
    PRIMARY KEY (organ_id, year, section)
);
