-- The ledger's own settings, a text value per key.
--
-- rollup_time_zone: the IANA time zone whose calendar days the rollups count in (a sale at 7 pm in
-- California is that day's). Absent: UTC, which every earlier ledger counted in. When the creator's
-- zone changes, the rollups are rebuilt from the events in the new one (crates/ledger/src/rollup_zone.rs).
-- time_zone: the zone the creator chose for this ledger; absent: the system's.
CREATE TABLE ledger_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
