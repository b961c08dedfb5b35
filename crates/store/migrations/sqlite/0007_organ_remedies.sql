-- Where an applicant may seek remedies against the organ's reply (issue 16): the body that hears
-- an administrative review (行政复议机关) and the court of first instance (行政诉讼管辖法院), as
-- the reply and the portal's result page name them.
ALTER TABLE organ_settings ADD COLUMN review_body TEXT NOT NULL DEFAULT '';
ALTER TABLE organ_settings ADD COLUMN court TEXT NOT NULL DEFAULT '';
