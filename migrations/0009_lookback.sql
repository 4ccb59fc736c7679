-- How far back a connection's later syncs re-read (refunds, disputes and partial refunds change old
-- sales): per connection, since platforms and creators differ (a store with 60-day refunds wants more
-- than 30). Set at connect (`--lookback DAYS`); one sync can ask for another with its own flag.
ALTER TABLE connections ADD COLUMN lookback_days INTEGER NOT NULL DEFAULT 30
    CHECK (lookback_days BETWEEN 0 AND 3650);
