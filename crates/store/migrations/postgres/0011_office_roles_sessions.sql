-- The back office as officers and supervisors use it (issue 17).
--
-- Roles over several organs: one row per account and organ, with the role held there (an
-- account's organ covers its units). The account's own organ and role (users.organ_id, .role)
-- stay as its home row, copied here so every grant is read from one table.
CREATE TABLE user_organs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organ_id BIGINT NOT NULL REFERENCES organs(id),
    role TEXT NOT NULL CHECK (role IN ('organ_admin', 'editor', 'reviewer', 'handler', 'supervisor')),
    PRIMARY KEY (user_id, organ_id)
);
CREATE INDEX user_organs_organ ON user_organs(organ_id);
INSERT INTO user_organs (user_id, organ_id, role)
    SELECT id, organ_id, role FROM users WHERE organ_id IS NOT NULL;

-- A password set by an administrator must be changed at the next login.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- Idle expiry (last request seen) besides the absolute expires_at, and the one-time message shown
-- after a form is saved (Post/Redirect/Get): kept with the session, so any instance serves it.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN flash TEXT;

-- Why a reviewer returned an item (退回修改), shown to its author until it is submitted again.
ALTER TABLE catalogue_items ADD COLUMN return_reason TEXT;
