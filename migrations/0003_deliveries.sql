-- Who else delivered an event, and how large the stored amounts may grow.
--
-- event_deliveries: a batch or sync run that delivered a version another batch or sync run had already
-- written (a duplicate row: the same sale in a second file, or in a file and from the platform's API).
-- A version stays in the ledger while any batch or sync run that delivered it remains; undoing the one
-- that wrote it hands it to the next delivery instead of removing it. revision_id names the version when
-- it is no longer the event's current one (NULL: the current version in events).
-- Keyed by event, so that a re-import (which delivers events in the order they were first written)
-- appends to one B-tree and nothing else: undo, which is rare, scans the table for its own deliveries.
-- delivered_by is the batch's id, or minus the sync run's.
CREATE TABLE event_deliveries (
    event_id     INTEGER NOT NULL,
    delivered_by INTEGER NOT NULL,
    revision_id  INTEGER,
    source_line  INTEGER,
    PRIMARY KEY (event_id, delivered_by)
) WITHOUT ROWID;

-- Per currency, the sum of the absolute values of every stored version (current and replaced): every
-- rollup row and every report total is a sum over some of those versions, so while these stay under the
-- ledger's bound (crates/ledger/src/magnitude.rs) no sum can pass what an INTEGER holds. Restoring a
-- replaced version on undo never raises them, since it was counted when it was written.
CREATE TABLE magnitudes (
    currency    TEXT PRIMARY KEY,
    gross_minor INTEGER NOT NULL,
    fees_minor  INTEGER NOT NULL,
    net_minor   INTEGER NOT NULL,
    quantity    INTEGER NOT NULL
) WITHOUT ROWID;

-- TOTAL (a float) so that a ledger that a build without the bound let overflow can still be opened; its
-- magnitudes then start at the clamp and refuse more rows in that currency until it is undone.
-- A magnitude of the bound's size differs from the exact one by far less than the margin the bound keeps.
INSERT INTO magnitudes (currency, gross_minor, fees_minor, net_minor, quantity)
SELECT currency,
       CAST(MIN(TOTAL(abs(CAST(gross_minor AS REAL))), 9.0e18) AS INTEGER),
       CAST(MIN(TOTAL(abs(CAST(fees_minor AS REAL))), 9.0e18) AS INTEGER),
       CAST(MIN(TOTAL(abs(CAST(net_minor AS REAL))), 9.0e18) AS INTEGER),
       CAST(MIN(TOTAL(abs(CAST(quantity AS REAL))), 9.0e18) AS INTEGER)
FROM (SELECT currency, gross_minor, fees_minor, net_minor, quantity FROM events
      UNION ALL
      SELECT currency, gross_minor, fees_minor, net_minor, quantity FROM event_revisions)
GROUP BY currency;

-- Undoing a sync run finds the replaced versions it had written, as undoing a batch does.
CREATE INDEX event_revisions_by_sync_run ON event_revisions (sync_run_id) WHERE sync_run_id IS NOT NULL;
