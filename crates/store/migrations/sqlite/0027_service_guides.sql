-- 办事指南: the guide of a 行政许可 or other service of the 事项 register, with its standard
-- elements (设定依据, 申请条件, 申请材料, 办理地点, 办理时间, 咨询电话, 办理流程; 承诺时限 and
-- 收费标准 where they apply) and the day it was last changed.
CREATE TABLE service_guides (
    matter_id INTEGER PRIMARY KEY REFERENCES matters(id) ON DELETE CASCADE,
    basis TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL DEFAULT '',
    materials TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    process TEXT NOT NULL DEFAULT '',
    time_limit TEXT NOT NULL DEFAULT '',
    fee TEXT NOT NULL DEFAULT '',
    updated_on TEXT NOT NULL
);
