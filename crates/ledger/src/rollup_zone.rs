//! The time zone whose calendar days the rollups count in (`ledger_settings.rollup_time_zone`), the one
//! the creator chose (`time_zone`; absent: the system's), and rebuilding every rollup from the events
//! when the zone counted in changes. Instants stay UTC in
//! `events`; only the rollups' day numbers depend on the zone, so a rebuild is all a change takes.

use crate::error::{LedgerError, Result};
use crate::rollups::{Contribution, RollupDeltas};
use crate::writer::bump_change_counter;
use rusqlite::{Connection, OptionalExtension, Transaction};
use tributary_model::{EventKind, UtcInstant, Zone};

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

/// The tables a rebuild empties; `rollup_keys` stays (its ids are only names).
const REBUILT: [&str; 7] = [
    "rollup_daily",
    "rollup_daily_product",
    "rollup_daily_country",
    "rollup_monthly",
    "rollup_monthly_product",
    "rollup_monthly_country",
    "rollup_product_names",
];

/// Every event that counts, as settlement.rs counts them: an estimate only while its period has no
/// final events.
const COUNTED: &str =
    "SELECT s.platform, e.kind, e.occurred_at, e.product_id, e.product_name, e.quantity,
        e.currency, e.gross_minor, e.fees_minor, e.net_minor, e.country, e.period, e.estimated
     FROM events AS e
     JOIN sources AS s ON s.id = e.source_id
     LEFT JOIN settled_periods AS p ON p.source_id = e.source_id AND p.period = e.period
     WHERE e.period IS NULL OR e.estimated = 0 OR COALESCE(p.final_events, 0) = 0";

/// Recounts every rollup in `zone` and records it as the rollups' zone. Returns the events counted.
pub(crate) fn rebuild(tx: &Transaction<'_>, zone: &Zone) -> Result<u64> {
    for table in REBUILT {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let mut rollups = RollupDeltas::in_zone(zone.clone());
    let mut counted = 0u64;
    let mut statement = tx.prepare(COUNTED)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let kind: String = row.get(1)?;
        let kind = kind
            .parse::<EventKind>()
            .map_err(|e| LedgerError::Corrupt(e.to_string()))?;
        let text = |i: usize| -> rusqlite::Result<Option<&str>> {
            Ok(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok(),
                _ => None,
            })
        };
        let contribution = Contribution {
            occurred_at: UtcInstant::from_millis(row.get(2)?),
            platform: text(0)?.unwrap_or_default(),
            currency: text(6)?.unwrap_or_default(),
            kind,
            product_id: text(3)?,
            product_name: text(4)?,
            country: text(10)?,
            quantity: row.get(5)?,
            gross_minor: row.get(7)?,
            fees_minor: row.get(8)?,
            net_minor: row.get(9)?,
            period: text(11)?,
            estimated: row.get(12)?,
        };
        rollups.record(tx, &contribution, 1)?;
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
