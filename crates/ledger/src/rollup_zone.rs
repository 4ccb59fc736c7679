//! The time zone whose calendar days the rollups count in (`ledger_settings.rollup_time_zone`), the one
//! the creator chose (`time_zone`; absent: the system's), and rebuilding every rollup from the events
//! when the zone counted in changes. Instants stay UTC in
//! `events`; only the rollups' day numbers depend on the zone, so a rebuild is all a change takes.

use crate::error::{LedgerError, Result};
use crate::rollups::{self, RollupDeltas};
use crate::writer::{bump_change_counter, read_values, VALUE_COLUMNS};
use rusqlite::{Connection, OptionalExtension, Transaction};
use tributary_model::Zone;

const KEY: &str = "rollup_time_zone";

/// The zone the creator chose, over the system's (absent: follow the system).
const CHOSEN_KEY: &str = "time_zone";

fn setting(conn: &Connection, key: &str) -> Result<Option<Zone>> {
    let name: Option<String> = conn
        .query_row(
            "SELECT value FROM ledger_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    name.map(|name| Zone::named(&name).map_err(|_| LedgerError::UnknownStoredZone(name)))
        .transpose()
}

/// The zone the rollups of `conn` count in (UTC when none was ever set).
pub(crate) fn stored(conn: &Connection) -> Result<Zone> {
    Ok(setting(conn, KEY)?.unwrap_or_else(Zone::utc))
}

/// The zone the creator chose for this ledger, if any.
pub(crate) fn chosen(conn: &Connection) -> Result<Option<Zone>> {
    setting(conn, CHOSEN_KEY)
}

/// Records the creator's choice (None: follow the system's zone). The rollups are recounted by
/// whoever then counts in it (`Ledger::set_zone`).
pub(crate) fn choose(tx: &Transaction<'_>, zone: Option<&Zone>) -> Result<()> {
    match zone {
        Some(zone) => tx.execute(
            "INSERT INTO ledger_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [CHOSEN_KEY, zone.name()],
        )?,
        None => tx.execute("DELETE FROM ledger_settings WHERE key = ?1", [CHOSEN_KEY])?,
    };
    bump_change_counter(tx)?;
    Ok(())
}

/// Every event that counts, as settlement.rs counts them (an estimate only while its period has no
/// final events), with its platform, then its values as `read_values` reads them.
fn counted_events() -> String {
    format!(
        "SELECT s.platform, {VALUE_COLUMNS}
         FROM events AS e JOIN sources AS s ON s.id = e.source_id
         WHERE e.period IS NULL OR e.estimated = 0
            OR COALESCE((SELECT final_events FROM settled_periods AS p
                         WHERE p.source_id = e.source_id AND p.period = e.period), 0) = 0"
    )
}

/// Recounts every rollup in `zone` and records it as the rollups' zone. Returns the events counted.
pub(crate) fn rebuild(tx: &Transaction<'_>, zone: &Zone) -> Result<u64> {
    // `rollup_keys` stays: its ids are only names.
    for table in rollups::table_names() {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let mut rollups = RollupDeltas::in_zone(zone.clone());
    let mut counted = 0u64;
    let mut statement = tx.prepare(&counted_events())?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let platform: String = row.get(0)?;
        let values = read_values(row, 1)?;
        rollups.record(tx, &values.contribution(&platform)?, 1)?;
        counted += 1;
    }
    drop(rows);
    drop(statement);
    rollups.flush(tx)?;
    tx.execute(
        "INSERT INTO ledger_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEY, zone.name()],
    )?;
    bump_change_counter(tx)?;
    Ok(counted)
}
