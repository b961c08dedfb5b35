-- Rate limits of anonymous requests (online applications, letters, logins, code lookups) per
-- key (the kind of request and the client's address). One row per key holds the limit's
-- "theoretical arrival time" in milliseconds since 1970 (GCRA, a token bucket kept as one
-- number): a request is allowed when it is not too far ahead of now, and each allowed request
-- pushes it forward by one interval. Counted in one statement, so instances sharing the
-- database share the limit. `allowed` is whether the last request was let through.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL,
    allowed INTEGER NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits(tat_ms);
