-- The public portal lists published items newest first: across all organs (home page, RSS) and
-- per organ (the catalogue). Partial indexes keep drafts out and let LIMIT stop early at a
-- province's scale (millions of items).
CREATE INDEX catalogue_items_published ON catalogue_items(published_on DESC, id DESC)
    WHERE status = 'published';
CREATE INDEX catalogue_items_organ_published ON catalogue_items(organ_id, published_on DESC, id DESC)
    WHERE status = 'published';
