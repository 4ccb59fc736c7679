-- The first schema: money events with provenance and history, import batches, connections (never
-- secrets), sync runs, the job queue, and the rollups that reports read.
-- Money is integer minor units beside an ISO 4217 code; instants are UTC milliseconds since the epoch.

-- A (platform, account) pair that events come from: a creator may have two stores on one platform.
CREATE TABLE sources (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    account  TEXT NOT NULL,
    UNIQUE (platform, account)
);

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file_path   TEXT,
    file_hash   TEXT,              -- hex SHA-256 of the file's bytes
    file_size   INTEGER,
    format      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('importing', 'imported', 'undone')),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    undone_at   INTEGER,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0
);

-- Rows a batch could not take, with where and why. Only the first rows are kept for a very bad file;
-- batches.rejected has the full count.
CREATE TABLE batch_errors (
    batch_id INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    line     INTEGER,
    col      TEXT,
    message  TEXT NOT NULL
);
CREATE INDEX batch_errors_by_batch ON batch_errors (batch_id);

-- A platform account the creator connected. Tokens and keys live in the OS keyring, never here:
-- secret_ref only names the keyring entry.
CREATE TABLE connections (
    id             INTEGER PRIMARY KEY,
    platform       TEXT NOT NULL,
    account        TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    auth_kind      TEXT NOT NULL CHECK (auth_kind IN ('oauth', 'api_key', 'none')),
    secret_ref     TEXT,
    settings       TEXT NOT NULL DEFAULT '{}',   -- JSON: schedule, look-back window, options
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'needs_reconnect')),
    sync_cursor    TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (platform, account)
);

CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    error_class    TEXT,   -- auth, config, rate_limit, transient, data
    error_message  TEXT,
    requests       INTEGER NOT NULL DEFAULT 0,
    retries        INTEGER NOT NULL DEFAULT 0,
    inserted       INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    duplicates     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, started_at);

-- The ledger. One row per (source, external_id): the current version of that event.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    external_id   TEXT NOT NULL,
    -- 64-bit XXH3 of external_id seeded with source_id: the indexed identity. An index of integers is a
    -- fraction of the size of one of (source_id, external_id) and stays in the page cache on large
    -- imports; the writer, the only code that writes events, compares the full identity of a row it
    -- found by hash before changing it, so a hash collision between two identities keeps both rows.
    identity_hash INTEGER NOT NULL,
    -- 64-bit XXH3 of the identity and this version's values (crates/ledger/src/fingerprint.rs), indexed
    -- beside identity_hash so that an identical repeat is told from the index without reading the row.
    content_hash  INTEGER NOT NULL,
    -- Spelled as comparisons: an IN list in a CHECK builds a temporary index on every insert.
    kind          TEXT NOT NULL CHECK (kind = 'sale' OR kind = 'refund' OR kind = 'chargeback'
                                       OR kind = 'subscription_payment' OR kind = 'royalty'
                                       OR kind = 'kenp_read' OR kind = 'payout' OR kind = 'fee'
                                       OR kind = 'adjustment'),
    occurred_at   INTEGER NOT NULL,
    product_id    TEXT,
    product_name  TEXT,
    quantity      INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    buyer_email   TEXT,
    country       TEXT,
    raw           TEXT,
    -- Provenance: exactly one of batch (with line) or sync run wrote this version.
    batch_id      INTEGER REFERENCES batches (id),
    sync_run_id   INTEGER REFERENCES sync_runs (id),
    source_line   INTEGER,
    recorded_at   INTEGER NOT NULL,
    CHECK ((batch_id IS NULL) <> (sync_run_id IS NULL))
);
CREATE INDEX events_by_identity ON events (identity_hash, content_hash);
CREATE INDEX events_by_batch ON events (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX events_by_sync_run ON events (sync_run_id) WHERE sync_run_id IS NOT NULL;

-- Versions of an event that a later batch or sync run replaced, newest last, so that undoing the later
-- batch can put the earlier version back instead of losing it.
CREATE TABLE event_revisions (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    occurred_at   INTEGER NOT NULL,
    product_id    TEXT,
    product_name  TEXT,
    quantity      INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    buyer_email   TEXT,
    country       TEXT,
    raw           TEXT,
    batch_id      INTEGER REFERENCES batches (id),
    sync_run_id   INTEGER REFERENCES sync_runs (id),
    source_line   INTEGER,
    recorded_at   INTEGER NOT NULL,
    superseded_at INTEGER NOT NULL
);
CREATE INDEX event_revisions_by_event ON event_revisions (event_id);
CREATE INDEX event_revisions_by_batch ON event_revisions (batch_id) WHERE batch_id IS NOT NULL;

-- The durable job queue: claimed with a lease so that two processes never run the same job.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}',
    dedupe_key       TEXT UNIQUE,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    run_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 5,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_at);

-- Rollups: sums of the revenue events (every kind but payout), maintained in the same transaction as the
-- events, so that a report never scans the ledger. Days are UTC 'YYYY-MM-DD'.
-- refunds_minor: net of refund and chargeback events (zero or negative).
-- units: quantity of sale-like events; kenp_pages: quantity of kenp_read events.
CREATE TABLE rollup_daily (
    day           TEXT NOT NULL,
    platform      TEXT NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (day, platform, currency)
) WITHOUT ROWID;

-- product_key: the product id, else its name, else '' (unknown product).
CREATE TABLE rollup_daily_product (
    day           TEXT NOT NULL,
    platform      TEXT NOT NULL,
    product_key   TEXT NOT NULL,
    currency      TEXT NOT NULL,
    product_name  TEXT,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (day, platform, product_key, currency)
) WITHOUT ROWID;

-- country: ISO 3166-1 alpha-2, or '' when unknown.
CREATE TABLE rollup_daily_country (
    day           TEXT NOT NULL,
    country       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (day, country, currency)
) WITHOUT ROWID;

-- The same sums per calendar month ('YYYY-MM'), so that a report over months reads a few hundred rows;
-- a range that starts or ends inside a month adds those edge days from the daily tables.
CREATE TABLE rollup_monthly (
    month         TEXT NOT NULL,
    platform      TEXT NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (month, platform, currency)
) WITHOUT ROWID;

CREATE TABLE rollup_monthly_product (
    month         TEXT NOT NULL,
    platform      TEXT NOT NULL,
    product_key   TEXT NOT NULL,
    currency      TEXT NOT NULL,
    product_name  TEXT,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (month, platform, product_key, currency)
) WITHOUT ROWID;

CREATE TABLE rollup_monthly_country (
    month         TEXT NOT NULL,
    country       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    gross_minor   INTEGER NOT NULL,
    fees_minor    INTEGER NOT NULL,
    net_minor     INTEGER NOT NULL,
    refunds_minor INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    kenp_pages    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (month, country, currency)
) WITHOUT ROWID;

-- A counter bumped by every committed write, so that a window can notice changes made by another
-- process (the CLI, the daemon) by polling one integer.
CREATE TABLE change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);
