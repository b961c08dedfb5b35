-- Why a column of the catalogue is empty, as the office explains it on the column's own page
-- (政府网站检查指标: an empty column is accepted when it says why, e.g. 本机关本年度未制定规章),
-- with the day it was written and by whom.
CREATE TABLE category_notes (
    category_id INTEGER PRIMARY KEY REFERENCES categories(id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    noted_on TEXT NOT NULL,
    noted_by TEXT NOT NULL
);

-- The site's identity (one row): its name, 主办单位, 网站标识码, ICP and 公安机关 备案 numbers,
-- contact, privacy and copyright statements, and the 党政机关网站标识 image.
CREATE TABLE site_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    site_name TEXT NOT NULL DEFAULT '',
    sponsor TEXT NOT NULL DEFAULT '',
    site_code TEXT NOT NULL DEFAULT '',
    icp TEXT NOT NULL DEFAULT '',
    police_record TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    privacy TEXT NOT NULL DEFAULT '',
    copyright TEXT NOT NULL DEFAULT '',
    badge_type TEXT NOT NULL DEFAULT '',
    badge BLOB
);

-- The 2019 notice's four first-level columns include 政府信息公开制度: organs whose tree has the
-- 法定主动公开内容 column (the shipped catalogue) get it beside that column.
INSERT INTO categories (organ_id, parent_id, name, description, position)
SELECT c.organ_id, NULL, '政府信息公开制度',
       '本机关政府信息公开工作制度：主动公开、依申请公开、保密审查、发布协调、考核评议等',
       c.position
FROM categories c
WHERE c.parent_id IS NULL AND c.name = '法定主动公开内容'
  AND NOT EXISTS (SELECT 1 FROM categories x
                  WHERE x.organ_id = c.organ_id AND x.parent_id IS NULL AND x.name = '政府信息公开制度');
