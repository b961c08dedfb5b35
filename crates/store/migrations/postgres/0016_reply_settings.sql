-- What the letters of disclosure on application need of an organ's settings (issue 35):
-- whether it is a public institution replying under art. 55 (a school, a hospital) and the
-- competent department that hears a 申诉 against it; how an applicant pays a 信息处理费
-- (account, place, online), printed in the fee notice; and the period given for a 补正 in
-- working days (art. 30: "a reasonable period"), the organ's own rule.
ALTER TABLE organ_settings ADD COLUMN public_institution BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organ_settings ADD COLUMN appeal_body TEXT NOT NULL DEFAULT '';
ALTER TABLE organ_settings ADD COLUMN fee_payment TEXT NOT NULL DEFAULT '';
ALTER TABLE organ_settings ADD COLUMN correction_days BIGINT NOT NULL DEFAULT 15;
