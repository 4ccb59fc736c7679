-- Beside the job queue (issue 13), what a hosted service would keep in Redis next to it: a cache with
-- a time to live (the platforms' account names, a token's expiry) and rate-limit counters per key and
-- fixed window, shared by every process on the data folder (a connect's check and the sync it is
-- followed by count against one limit).
CREATE TABLE cache (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX cache_by_expiry ON cache (expires_at);

CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
