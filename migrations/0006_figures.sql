-- The rollups' money as the figures every screen and report names (crates/ledger/src/figures.rs):
-- Sales - Refunds - Chargebacks - Fees + Adjustments = Net. Until now a rollup row summed the events'
-- gross (sales with refunds already taken off), fees, net, and refunds (the net of refunds and
-- chargebacks together), so a creator read a "gross" that already had its refunds taken off beside the
-- refunds, and no figure could be checked against another.
--
-- The tables are made again with sales, refunds, chargebacks, fees and net (adjustments are the rest);
-- the rows are recounted from the events in the same transaction, by the migration's Rust step
-- (`Migration::recount` in crates/ledger/src/migrate.rs), in the zone the rollups counted in.

DROP TABLE rollup_daily;
CREATE TABLE rollup_daily (
    day           INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (day, platform, currency)
) WITHOUT ROWID;

DROP TABLE rollup_daily_product;
CREATE TABLE rollup_daily_product (
    day           INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    product       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (day, platform, product, currency)
) WITHOUT ROWID;

DROP TABLE rollup_daily_country;
CREATE TABLE rollup_daily_country (
    day           INTEGER NOT NULL,
    country       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (day, country, currency)
) WITHOUT ROWID;

DROP TABLE rollup_monthly;
CREATE TABLE rollup_monthly (
    month         INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (month, platform, currency)
) WITHOUT ROWID;

DROP TABLE rollup_monthly_product;
CREATE TABLE rollup_monthly_product (
    month         INTEGER NOT NULL,
    platform      INTEGER NOT NULL,
    product       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (month, platform, product, currency)
) WITHOUT ROWID;

DROP TABLE rollup_monthly_country;
CREATE TABLE rollup_monthly_country (
    month         INTEGER NOT NULL,
    country       INTEGER NOT NULL,
    currency      INTEGER NOT NULL,
    sales_minor       INTEGER NOT NULL,
    refunds_minor     INTEGER NOT NULL,
    chargebacks_minor INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    kenp_pages        INTEGER NOT NULL,
    events            INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    PRIMARY KEY (month, country, currency)
) WITHOUT ROWID;

DELETE FROM rollup_product_names;

-- What each import added to the ledger's figures when it landed, per currency (the history's "net
-- added"), and the first and last instant among its rows (the period it covers). Batches imported
-- before this version have neither.
CREATE TABLE batch_figures (
    batch_id          INTEGER NOT NULL REFERENCES batches (id),
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
    PRIMARY KEY (batch_id, currency)
) WITHOUT ROWID;
ALTER TABLE batches ADD COLUMN first_event_at INTEGER;
ALTER TABLE batches ADD COLUMN last_event_at INTEGER;
