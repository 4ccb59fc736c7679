//! Taking a batch's (or a sync run's) versions back out. A version it wrote that another batch or sync run
//! delivered too (`deliveries.rs`) stays, handed to that delivery; any other current version it wrote goes
//! back to the event's previous version, or away if there is none; a replaced version it wrote is
//! forgotten. So undo removes exactly what only that batch had, restores what it replaced, and keeps what
//! another source still has, rollups included.
//!
//! The versions are read a chunk at a time by id, so memory stays flat however large the batch.

use crate::deliveries::{self, Delivery};
use crate::error::Result;
use crate::fingerprint::content_hash;
use crate::magnitude::{self, Magnitudes};
use crate::rollups::RollupDeltas;
use crate::settlement;
use crate::writer::{
    bump_change_counter, read_values, Provenance, StoredValues, REPLACE_VERSION, VALUE_COLUMNS,
};
use rusqlite::{OptionalExtension, Transaction};

/// Versions read from the ledger at a time.
const CHUNK: i64 = 1_000;

/// What removing a batch's or sync run's versions did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemovedCounts {
    /// Events that only this batch had delivered, now gone.
    pub removed: u64,
    /// Events this batch had changed, now back to their previous version.
    pub restored: u64,
    /// Events this batch had delivered that stay as they are, because another batch or sync run
    /// delivered them too.
    pub kept: u64,
    /// Earlier versions this batch had written that a later batch had already replaced.
    pub forgotten_revisions: u64,
}

fn magnitude_of(v: &StoredValues) -> magnitude::Values {
    magnitude::values(v.gross_minor, v.fees_minor, v.net_minor, v.quantity)
}

/// Makes `delivery` the own provenance of a version (a row of `table`, `events` or `event_revisions`).
fn hand_over(tx: &Transaction<'_>, table: &str, row_id: i64, delivery: &Delivery) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE {table} SET batch_id = ?2, sync_run_id = ?3, source_line = ?4 WHERE id = ?1"
    ))?
    .execute(rusqlite::params![
        row_id,
        delivery.provenance.batch_id(),
        delivery.provenance.sync_run_id(),
        delivery.source_line
    ])?;
    Ok(())
}

/// Puts back the previous version of every event whose current version `provenance` alone delivered
/// (deleting the events it first created), hands what others delivered too to them, and forgets the
/// replaced versions it wrote.
pub(crate) fn remove_versions(
    tx: &Transaction<'_>,
    provenance: Provenance,
) -> Result<RemovedCounts> {
    let (column, id) = provenance.column();
    let mut counts = RemovedCounts::default();
    let mut magnitudes = Magnitudes::default();
    let mut rollups = RollupDeltas::default();
    deliveries::forget_own(tx, provenance)?;

    // Replaced versions it wrote: another delivery keeps each, else it is forgotten.
    let mut after = 0i64;
    loop {
        let chunk: Vec<(i64, i64, StoredValues)> = tx
            .prepare_cached(&format!(
                "SELECT id, event_id, {VALUE_COLUMNS} FROM event_revisions
                 WHERE {column} = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
            ))?
            .query_map(rusqlite::params![id, after, CHUNK], |row| {
                Ok((row.get(0)?, row.get(1)?, read_values(row, 2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(&(last, _, _)) = chunk.last() else {
            break;
        };
        after = last;
        for (revision_id, event_id, values) in chunk {
            match deliveries::take_other(tx, event_id, Some(revision_id), provenance)? {
                Some(delivery) => hand_over(tx, "event_revisions", revision_id, &delivery)?,
                None => {
                    tx.prepare_cached("DELETE FROM event_revisions WHERE id = ?1")?
                        .execute([revision_id])?;
                    magnitudes.release(tx, &values.currency, magnitude_of(&values))?;
                    counts.forgotten_revisions += 1;
                }
            }
        }
    }

    // Current versions it wrote.
    let mut previous_of = tx.prepare_cached(&format!(
        "SELECT id, {VALUE_COLUMNS}, batch_id, sync_run_id, source_line, recorded_at
         FROM event_revisions WHERE event_id = ?1 ORDER BY id DESC LIMIT 1"
    ))?;
    let mut scratch = Vec::new();
    let mut after = 0i64;
    loop {
        let chunk: Vec<(i64, String, i64, String, StoredValues)> = tx
            .prepare_cached(&format!(
                "SELECT e.id, s.platform, e.source_id, e.external_id, {}
                 FROM events e JOIN sources s ON s.id = e.source_id
                 WHERE e.{column} = ?1 AND e.id > ?2 ORDER BY e.id LIMIT ?3",
                VALUE_COLUMNS
                    .split(", ")
                    .map(|c| format!("e.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?
            .query_map(rusqlite::params![id, after, CHUNK], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    read_values(row, 4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(&(last, ..)) = chunk.last() else {
            break;
        };
        after = last;
        for (event_id, platform, source_id, external_id, values) in &chunk {
            if let Some(delivery) = deliveries::take_other(tx, *event_id, None, provenance)? {
                hand_over(tx, "events", *event_id, &delivery)?;
                counts.kept += 1;
                continue;
            }
            settlement::leave(
                tx,
                &mut rollups,
                *source_id,
                &values.contribution(platform)?,
            )?;
            magnitudes.release(tx, &values.currency, magnitude_of(values))?;
            let previous = previous_of
                .query_row([event_id], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        read_values(row, 1)?,
                        (
                            row.get::<_, Option<i64>>(15)?,
                            row.get::<_, Option<i64>>(16)?,
                            row.get::<_, Option<i64>>(17)?,
                            row.get::<_, i64>(18)?,
                        ),
                    ))
                })
                .optional()?;
            match previous {
                Some((revision_id, old, (batch_id, sync_run_id, line, recorded_at))) => {
                    tx.prepare_cached(REPLACE_VERSION)?
                        .execute(rusqlite::params![
                            event_id,
                            old.kind,
                            old.occurred_at,
                            old.product_id,
                            old.product_name,
                            old.quantity,
                            old.currency,
                            old.gross_minor,
                            old.fees_minor,
                            old.net_minor,
                            old.buyer_email,
                            old.country,
                            old.raw,
                            old.period,
                            old.estimated,
                            batch_id,
                            sync_run_id,
                            line,
                            recorded_at,
                            content_hash(*source_id, external_id, &old.view(), &mut scratch)
                        ])?;
                    tx.prepare_cached("DELETE FROM event_revisions WHERE id = ?1")?
                        .execute([revision_id])?;
                    deliveries::follow_to_current(tx, *event_id, revision_id)?;
                    settlement::enter(tx, &mut rollups, *source_id, &old.contribution(platform)?)?;
                    counts.restored += 1;
                }
                None => {
                    tx.prepare_cached("DELETE FROM events WHERE id = ?1")?
                        .execute([event_id])?;
                    counts.removed += 1;
                }
            }
        }
    }
    drop(previous_of);

    // What it delivered that someone else wrote stays; its deliveries go.
    counts.kept += deliveries::forget_all_of(tx, provenance)?;
    rollups.flush(tx)?;
    magnitudes.flush(tx)?;
    bump_change_counter(tx)?;
    Ok(counts)
}
