-- 行政相对人 of a licensing or penalty decision, as the 双公示 register publishes it (a legal
-- person's name, or a natural person's name as the organ chooses to publish it). Empty for
-- decisions recorded before it was kept.
ALTER TABLE decisions ADD COLUMN party TEXT NOT NULL DEFAULT '';
