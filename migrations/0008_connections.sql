-- Connections to the platforms' APIs and the record of every sync (issue 12). The first schema's
-- connections and sync_runs were placeholders that nothing wrote, so they are made again whole: a
-- connection has a name the person uses, the platform's account it signed in to, a state that includes
-- `disconnected` (its history and events stay; its secret goes), and a lease that keeps two processes
-- from syncing or refreshing it at once. Secrets are never here: the secret store keeps them under a
-- key made from the platform and remote_id (crates/engine/src/connections.rs, `secret_key`).
DROP TABLE sync_runs;
DROP TABLE connections;

CREATE TABLE connections (
    id               INTEGER PRIMARY KEY,
    -- What the person calls it on the command line and sees in the window: `gumroad`, `gumroad-2`.
    name             TEXT NOT NULL UNIQUE,
    platform         TEXT NOT NULL,
    -- The ledger account its events are booked under (`main`, as file imports use, so a file and a
    -- sync of one account deliver the same events once).
    account          TEXT NOT NULL,
    auth_kind        TEXT NOT NULL CHECK (auth_kind IN ('token', 'oauth')),
    -- Who the credential belongs to on the platform: its id and a name or e-mail to show.
    remote_id        TEXT NOT NULL,
    remote_name      TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'active'
                     CHECK (state IN ('active', 'paused', 'needs_reconnect', 'disconnected')),
    -- Why it is in that state, in a sentence (a refused token, a pause by the person).
    state_reason     TEXT,
    -- The connector's position (its own JSON), saved with each page's events.
    sync_cursor      TEXT,
    -- When the credential stops working, where the platform says (ms since the epoch).
    credential_expires_at INTEGER,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    settings         TEXT NOT NULL DEFAULT '{}',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    last_success_at  INTEGER,
    UNIQUE (platform, remote_id)
);

-- One row per sync of a connection, written as it goes: a page's events, the cursor and these counts
-- change in one transaction. `interrupted`: its process went away mid-run (found when the lease had
-- expired); `undone`: its rows were taken out.
CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES connections (id),
    status         TEXT NOT NULL
                   CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'undone')),
    full_resync    INTEGER NOT NULL DEFAULT 0,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    undone_at      INTEGER,
    cursor_before  TEXT,
    pages          INTEGER NOT NULL DEFAULT 0,
    inserted       INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    duplicates     INTEGER NOT NULL DEFAULT 0,
    rejected       INTEGER NOT NULL DEFAULT 0,
    requests       INTEGER NOT NULL DEFAULT 0,
    retries        INTEGER NOT NULL DEFAULT 0,
    first_event_at INTEGER,
    last_event_at  INTEGER,
    error_class    TEXT CHECK (error_class IN
                   ('authentication', 'configuration', 'rate_limit', 'transient', 'unexpected_data')),
    error_request  TEXT,
    error_message  TEXT,
    retry_after_ms INTEGER
);
CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, id);

-- What each run added to the ledger's figures, per currency, summed over its pages.
CREATE TABLE sync_run_figures (
    sync_run_id       INTEGER NOT NULL REFERENCES sync_runs (id),
    currency          TEXT NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (sync_run_id, currency)
) WITHOUT ROWID;

-- Every HTTP request of a run: method, path and query with secret-looking values masked, the final
-- status (NULL: no answer), duration and retries.
CREATE TABLE sync_requests (
    id          INTEGER PRIMARY KEY,
    sync_run_id INTEGER NOT NULL REFERENCES sync_runs (id),
    method      TEXT NOT NULL,
    target      TEXT NOT NULL,
    status      INTEGER,
    duration_ms INTEGER NOT NULL,
    retries     INTEGER NOT NULL
);
CREATE INDEX sync_requests_by_run ON sync_requests (sync_run_id);

-- Events of a run that the ledger refused (a value past its bounds), the first thousand.
CREATE TABLE sync_run_errors (
    sync_run_id INTEGER NOT NULL REFERENCES sync_runs (id),
    page        TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX sync_run_errors_by_run ON sync_run_errors (sync_run_id);
