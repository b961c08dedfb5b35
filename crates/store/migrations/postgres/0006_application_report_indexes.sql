-- The annual report counts an organ's applications of a year in one GROUP BY
-- (`Db::application_counts`): a covering index answers it from the index alone, without a
-- lookup into the table for each of an organ's 100,000 cases. 信息处理费 are summed only over
-- the few cases with a fee paid, which a partial index finds.
CREATE INDEX applications_report ON applications(organ_id, received_on, closed_on, applicant_type, result, due_on);
CREATE INDEX applications_fees ON applications(organ_id, received_on) WHERE fee_paid_fen > 0;
