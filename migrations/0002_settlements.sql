-- Periods a platform settles as a whole (KDP: a month in one marketplace), whose early figures are
-- estimates that the final figures replace, and the rows a batch's format rules left out.
--
-- events.period names the period within the event's source; events.estimated is 1 for an estimate.
-- While a period has at least one final event (settled_periods.final_events > 0) its estimates are kept
-- but do not count in the rollups; they count again if the finals are undone.
ALTER TABLE events ADD COLUMN period TEXT;
ALTER TABLE events ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated = 0 OR estimated = 1);
ALTER TABLE event_revisions ADD COLUMN period TEXT;
ALTER TABLE event_revisions ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_by_period ON events (source_id, period) WHERE period IS NOT NULL;

CREATE TABLE settled_periods (
    source_id    INTEGER NOT NULL REFERENCES sources (id),
    period       TEXT NOT NULL,
    final_events INTEGER NOT NULL CHECK (final_events >= 0),
    PRIMARY KEY (source_id, period)
) WITHOUT ROWID;

-- How many counted events of each rollup row are estimates, so that a report can mark an estimated
-- month (or product, or platform) as such.
ALTER TABLE rollup_daily ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_daily_product ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_daily_country ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_monthly ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_monthly_product ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_monthly_country ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;

-- Rows of the file that the format's rules left out (a totals row, a failed payment).
ALTER TABLE batches ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
