-- Devices an account has logged in from (issue 33): a random cookie set after a successful
-- login, kept here by its hash. A client that presents it for the account is counted by its own
-- failure counter instead of the account's, so an attacker who locks the account for unknown
-- clients does not lock out its owner. A password reset forgets the account's devices.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id);
