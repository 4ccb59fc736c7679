//! Taking a batch's (or a sync run's) versions back out: every event whose current version it wrote goes
//! back to its previous version, or away if it had none, and versions it wrote that a later write replaced
//! are forgotten — so undo removes exactly that batch and restores what it replaced, rollups included.

use crate::error::Result;
use crate::fingerprint::content_hash;
use crate::rollups::RollupDeltas;
use crate::settlement;
use crate::writer::{
    bump_change_counter, read_values, Provenance, StoredValues, REPLACE_VERSION, VALUE_COLUMNS,
};
use rusqlite::{OptionalExtension, Transaction};

/// Puts back the previous version of every event whose current version `provenance` wrote (deleting the
/// events it first created) and forgets the versions it wrote that were later replaced.
pub(crate) fn remove_versions(
    tx: &Transaction<'_>,
    provenance: Provenance,
) -> Result<RemovedCounts> {
    let (column, id) = match provenance {
        Provenance::Batch(id) => ("batch_id", id),
        Provenance::SyncRun(id) => ("sync_run_id", id),
    };
    let mut counts = RemovedCounts {
        forgotten_revisions: tx.execute(
            &format!("DELETE FROM event_revisions WHERE {column} = ?1"),
            [id],
        )? as u64,
        ..RemovedCounts::default()
    };
    let current: Vec<(i64, String, i64, String, StoredValues)> = tx
        .prepare(&format!(
            "SELECT e.id, s.platform, e.source_id, e.external_id, {}
             FROM events e JOIN sources s ON s.id = e.source_id WHERE e.{column} = ?1",
            VALUE_COLUMNS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?
        .query_map([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                read_values(row, 4)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut rollups = RollupDeltas::default();
    let mut previous_of = tx.prepare_cached(&format!(
        "SELECT id, {VALUE_COLUMNS}, batch_id, sync_run_id, source_line, recorded_at
         FROM event_revisions WHERE event_id = ?1 ORDER BY id DESC LIMIT 1"
    ))?;
    let mut scratch = Vec::new();
    for (event_id, platform, source_id, external_id, values) in &current {
        settlement::leave(
            tx,
            &mut rollups,
            *source_id,
            &values.contribution(platform)?,
        )?;
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
    rollups.flush(tx)?;
    bump_change_counter(tx)?;
    Ok(counts)
}

/// What removing a batch's or sync run's versions did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemovedCounts {
    /// Events that only this batch had written, now gone.
    pub removed: u64,
    /// Events this batch had changed, now back to their previous version.
    pub restored: u64,
    /// Earlier versions this batch had written that a later batch had already replaced.
    pub forgotten_revisions: u64,
}
