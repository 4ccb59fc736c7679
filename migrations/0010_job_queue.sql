-- The durable job queue (issue 13): the first migration's `jobs` table, rebuilt (it was never written)
-- so that a dedupe key is unique only among jobs still to run — "sync connection 3" is queued once, and
-- queued again once that one is done — and with a `failed` history kept per job: when it last failed.
DROP TABLE jobs;
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}',
    dedupe_key       TEXT,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    run_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    last_error       TEXT,
    failed_at        INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_at);
CREATE UNIQUE INDEX jobs_pending_dedupe ON jobs (dedupe_key)
    WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');
