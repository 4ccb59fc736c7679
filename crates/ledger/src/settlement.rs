//! Periods settled as a whole. Some platforms report estimates first and final figures for a whole
//! period later (KDP: daily royalties during the month, the month's royalties per marketplace after it).
//! Once a period has a final event, its estimates stop counting in the rollups; they stay stored and
//! count again if the finals go (undone, or corrected away). Every event enters the rollups and leaves
//! them through here, so an insert, an update and an undo all keep that rule, in either import order.
//!
//! `settled_periods.final_events` counts the final events of each (source, period); the estimates of a
//! period are found through the `events_by_period` index when that count leaves or reaches zero.

use crate::error::Result;
use crate::rollups::{Contribution, RollupDeltas};
use crate::writer::{read_values, VALUE_COLUMNS};
use rusqlite::{OptionalExtension, Transaction};

/// Counts a version that has just become current.
pub(crate) fn enter(
    tx: &Transaction<'_>,
    rollups: &mut RollupDeltas,
    source_id: i64,
    c: &Contribution<'_>,
) -> Result<()> {
    match c.period.map(|period| (period, c.estimated)) {
        None => rollups.record(tx, c, 1),
        Some((period, true)) => {
            if final_events(tx, source_id, period)? == 0 {
                rollups.record(tx, c, 1)?;
            }
            Ok(())
        }
        Some((period, false)) => {
            if add_final_events(tx, source_id, period, 1)? == 1 {
                count_estimates(tx, rollups, source_id, c.platform, period, -1)?;
            }
            rollups.record(tx, c, 1)
        }
    }
}

/// Stops counting a version that is about to be replaced or removed (it is still in `events`).
pub(crate) fn leave(
    tx: &Transaction<'_>,
    rollups: &mut RollupDeltas,
    source_id: i64,
    c: &Contribution<'_>,
) -> Result<()> {
    match c.period.map(|period| (period, c.estimated)) {
        None => rollups.record(tx, c, -1),
        Some((period, true)) => {
            if final_events(tx, source_id, period)? == 0 {
                rollups.record(tx, c, -1)?;
            }
            Ok(())
        }
        Some((period, false)) => {
            rollups.record(tx, c, -1)?;
            if add_final_events(tx, source_id, period, -1)? == 0 {
                count_estimates(tx, rollups, source_id, c.platform, period, 1)?;
            }
            Ok(())
        }
    }
}

fn final_events(tx: &Transaction<'_>, source_id: i64, period: &str) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "SELECT final_events FROM settled_periods WHERE source_id = ?1 AND period = ?2",
        )?
        .query_row(rusqlite::params![source_id, period], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Adds `delta` (1 or -1) to the period's count of final events and returns the new count.
fn add_final_events(tx: &Transaction<'_>, source_id: i64, period: &str, delta: i64) -> Result<i64> {
    // A decrement is a plain update: an upsert would check its would-be row (-1) against the CHECK first.
    let sql = if delta > 0 {
        "INSERT INTO settled_periods (source_id, period, final_events) VALUES (?1, ?2, ?3)
         ON CONFLICT (source_id, period) DO UPDATE SET final_events = final_events + excluded.final_events
         RETURNING final_events"
    } else {
        "UPDATE settled_periods SET final_events = final_events + ?3
         WHERE source_id = ?1 AND period = ?2 RETURNING final_events"
    };
    Ok(tx
        .prepare_cached(sql)?
        .query_row(rusqlite::params![source_id, period, delta], |r| r.get(0))?)
}

/// Counts every stored estimate of the period in (`sign` 1) or out (-1).
fn count_estimates(
    tx: &Transaction<'_>,
    rollups: &mut RollupDeltas,
    source_id: i64,
    platform: &str,
    period: &str,
    sign: i64,
) -> Result<()> {
    let mut statement = tx.prepare_cached(&format!(
        "SELECT {VALUE_COLUMNS} FROM events
         WHERE source_id = ?1 AND period = ?2 AND estimated = 1"
    ))?;
    let mut rows = statement.query(rusqlite::params![source_id, period])?;
    while let Some(row) = rows.next()? {
        let values = read_values(row, 0)?;
        rollups.record(tx, &values.contribution(platform)?, sign)?;
    }
    Ok(())
}
