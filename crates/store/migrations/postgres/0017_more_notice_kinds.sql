-- The letters of art. 32 and art. 35 are numbered notices too (issue 35): the request that the
-- applicant explain the reasons (reasons), the written consultation of a third party
-- (consultation) and the notice to an objecting third party before disclosure (disclosure).
ALTER TABLE application_notices DROP CONSTRAINT application_notices_kind_check;
ALTER TABLE application_notices ADD CONSTRAINT application_notices_kind_check
    CHECK (kind IN ('supplement', 'extension', 'fee', 'reply', 'reasons', 'consultation', 'disclosure'));
