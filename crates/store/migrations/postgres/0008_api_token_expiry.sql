-- API tokens expire and are revoked for good (issue 20): when each token stops working, and
-- when it was revoked (by its owner, an administrator, or the deactivation of its account).
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
-- Tokens of accounts already deactivated are dead too: reactivating never brings them back.
UPDATE api_tokens SET revoked = 1
 WHERE user_id IN (SELECT id FROM users WHERE active = 0);
