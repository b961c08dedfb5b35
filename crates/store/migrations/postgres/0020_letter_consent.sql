-- Whether the writer of a letter sent through the portal agreed that the letter and its reply
-- may be published (asked on the form; 1 yes, 0 no). Letters received before it was asked: 0,
-- so nothing is published without a consent on record.
ALTER TABLE letter_portal ADD COLUMN publish_consent BIGINT NOT NULL DEFAULT 0;
-- A reply the office published before the question was asked stays published: count it as
-- consented, so correcting that reply does not withdraw it.
UPDATE letter_portal SET publish_consent = reply_public;
