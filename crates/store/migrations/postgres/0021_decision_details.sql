-- The fields of the 双公示 data standard a licensing or penalty decision carries beyond its
-- number, date and party: the party's 统一社会信用代码, 许可内容 (or 处罚结果), 许可有效期,
-- 处罚依据 and 罚款金额 (in fen). One row per decision that has any; none for decisions recorded
-- before they were kept.
CREATE TABLE decision_details (
    decision_id BIGINT PRIMARY KEY REFERENCES decisions(id) ON DELETE CASCADE,
    credit_code TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    valid_from DATE,
    valid_to DATE,
    basis TEXT NOT NULL DEFAULT '',
    fine_fen BIGINT
);
