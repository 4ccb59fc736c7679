-- Who runs the scheduled syncs for this data folder (issue 13): the app, the tray process or
-- `tributary daemon`, whichever took this one row's lease first; the others watch. A lease in the
-- ledger, not a pid file, so that it is taken atomically with the file's own locking and expires
-- when its holder stops renewing it (it died, or its machine slept).
CREATE TABLE runner_lease (
    name       TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    -- 'app', 'tray' or 'daemon': what the others say is running the syncs.
    host       TEXT NOT NULL,
    taken_at   INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
