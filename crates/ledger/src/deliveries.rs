//! `event_deliveries`: the batches and sync runs that delivered a version someone else had written
//! first — a duplicate row. The version's own provenance (`batch_id` or `sync_run_id` on its row) is its
//! first delivery; these are the others. Undoing the writer of a version hands it to its oldest other
//! delivery instead of taking it away, so a sale stays while any remaining file or sync still has it.
//!
//! A delivery names its version by event and, once that version has been replaced, by its revision
//! (`revision_id`, NULL while it is the event's current version).

use crate::error::Result;
use crate::writer::Provenance;
use rusqlite::{OptionalExtension, Transaction};

/// Another delivery of a version: who, and from which line.
pub(crate) struct Delivery {
    pub id: i64,
    pub provenance: Provenance,
    pub source_line: Option<i64>,
}

/// Records that `provenance` delivered the current version of `event_id` again.
pub(crate) fn record(
    tx: &Transaction<'_>,
    event_id: i64,
    provenance: Provenance,
    source_line: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO event_deliveries (event_id, revision_id, batch_id, sync_run_id, source_line)
         VALUES (?1, NULL, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![
        event_id,
        provenance.batch_id(),
        provenance.sync_run_id(),
        source_line
    ])?;
    Ok(())
}

/// The current version of `event_id` has just become the revision `revision_id`: its deliveries go with it.
pub(crate) fn follow_to_revision(
    tx: &Transaction<'_>,
    event_id: i64,
    revision_id: i64,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE event_deliveries SET revision_id = ?2 WHERE event_id = ?1 AND revision_id IS NULL",
    )?
    .execute([event_id, revision_id])?;
    Ok(())
}

/// The revision `revision_id` of `event_id` has just become its current version again.
pub(crate) fn follow_to_current(
    tx: &Transaction<'_>,
    event_id: i64,
    revision_id: i64,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE event_deliveries SET revision_id = NULL WHERE event_id = ?1 AND revision_id = ?2",
    )?
    .execute([event_id, revision_id])?;
    Ok(())
}

/// The oldest delivery of a version (the current one when `revision_id` is None) by anyone but `not`.
pub(crate) fn other(
    tx: &Transaction<'_>,
    event_id: i64,
    revision_id: Option<i64>,
    not: Provenance,
) -> Result<Option<Delivery>> {
    let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<Delivery> {
        let provenance = match (row.get::<_, Option<i64>>(1)?, row.get::<_, Option<i64>>(2)?) {
            (Some(batch), _) => Provenance::Batch(batch),
            (None, Some(run)) => Provenance::SyncRun(run),
            (None, None) => {
                return Err(rusqlite::Error::IntegralValueOutOfRange(1, 0));
            }
        };
        Ok(Delivery {
            id: row.get(0)?,
            provenance,
            source_line: row.get(3)?,
        })
    };
    // `IS` compares NULL with NULL as equal: one statement for current versions and revisions.
    let found = tx
        .prepare_cached(
            "SELECT id, batch_id, sync_run_id, source_line FROM event_deliveries
             WHERE event_id = ?1 AND revision_id IS ?2
               AND NOT (batch_id IS ?3 AND sync_run_id IS ?4)
             ORDER BY id LIMIT 1",
        )?
        .query_row(
            rusqlite::params![event_id, revision_id, not.batch_id(), not.sync_run_id()],
            read,
        )
        .optional()?;
    Ok(found)
}

/// Forgets one delivery (it has become its version's own provenance).
pub(crate) fn forget(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM event_deliveries WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Forgets the deliveries by `provenance` of versions it wrote itself (a row repeated in the file that
/// had just changed it): they are no other source.
pub(crate) fn forget_own(tx: &Transaction<'_>, provenance: Provenance) -> Result<()> {
    let (column, id) = provenance.column();
    tx.execute(
        &format!(
            "DELETE FROM event_deliveries WHERE {column} = ?1 AND (
                 (revision_id IS NULL AND event_id IN (SELECT id FROM events WHERE {column} = ?1))
                 OR revision_id IN (SELECT id FROM event_revisions WHERE {column} = ?1))"
        ),
        [id],
    )?;
    Ok(())
}

/// Forgets every delivery by `provenance`, and says how many events still in the ledger it had
/// delivered (another batch or sync run wrote them, so they stay).
pub(crate) fn forget_all_of(tx: &Transaction<'_>, provenance: Provenance) -> Result<u64> {
    let (column, id) = provenance.column();
    let still_there: i64 = tx.query_row(
        &format!(
            "SELECT COUNT(DISTINCT d.event_id) FROM event_deliveries d
             JOIN events e ON e.id = d.event_id
             WHERE d.{column} = ?1 AND d.revision_id IS NULL"
        ),
        [id],
        |r| r.get(0),
    )?;
    tx.execute(
        &format!("DELETE FROM event_deliveries WHERE {column} = ?1"),
        [id],
    )?;
    Ok(u64::try_from(still_there).unwrap_or(0))
}
