//! `event_deliveries`: the batches and sync runs that delivered a version someone else had written
//! first — a duplicate row. The version's own provenance (`batch_id` or `sync_run_id` on its row) is its
//! first delivery; these are the others. Undoing the writer of a version hands it to another delivery
//! instead of taking it away, so a sale stays while any remaining file or sync still has it.
//!
//! A delivery names its version by event and, once that version has been replaced, by its revision
//! (`revision_id`, NULL while it is the event's current version). The table is keyed by event alone, so
//! that recording a delivery costs one B-tree insert (an append, on a re-import): finding one batch's
//! deliveries, which only undo does, scans it.

use crate::error::Result;
use crate::writer::Provenance;
use rusqlite::Transaction;

/// Another delivery of a version: who, and from which line.
pub(crate) struct Delivery {
    pub provenance: Provenance,
    pub source_line: Option<i64>,
}

/// `delivered_by`: a batch's id, or minus a sync run's.
fn key(provenance: Provenance) -> i64 {
    match provenance {
        Provenance::Batch(id) => id,
        Provenance::SyncRun(id) => -id,
    }
}

fn provenance_of(key: i64) -> Provenance {
    if key < 0 {
        Provenance::SyncRun(-key)
    } else {
        Provenance::Batch(key)
    }
}

/// Records that ?2 (`delivered_by`) delivered the current version of event ?1 again, from line ?3. A second
/// delivery of the same event by the same batch adds nothing.
pub(crate) const RECORD: &str =
    "INSERT OR IGNORE INTO event_deliveries (event_id, delivered_by, revision_id, source_line)
     VALUES (?1, ?2, NULL, ?3)";

/// Records that `provenance` delivered the current version of `event_id` again, through `statement`
/// (`RECORD`, prepared by the writer once per transaction).
pub(crate) fn record(
    statement: &mut rusqlite::Statement<'_>,
    event_id: i64,
    provenance: Provenance,
    source_line: Option<i64>,
) -> Result<()> {
    statement.execute(rusqlite::params![event_id, key(provenance), source_line])?;
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

/// A delivery of a version (the current one when `revision_id` is None) by anyone but `not`, taken out
/// of the table: the caller makes it the version's own provenance.
pub(crate) fn take_other(
    tx: &Transaction<'_>,
    event_id: i64,
    revision_id: Option<i64>,
    not: Provenance,
) -> Result<Option<Delivery>> {
    let version = match revision_id {
        None => "revision_id IS NULL",
        Some(_) => "revision_id = ?2",
    };
    let mut statement = tx.prepare_cached(&format!(
        "SELECT delivered_by, source_line FROM event_deliveries
         WHERE event_id = ?1 AND {version} ORDER BY delivered_by"
    ))?;
    let mut rows = match revision_id {
        None => statement.query(rusqlite::params![event_id])?,
        Some(revision) => statement.query(rusqlite::params![event_id, revision])?,
    };
    let mut found = None;
    while let Some(row) = rows.next()? {
        let by: i64 = row.get(0)?;
        if by != key(not) {
            found = Some((by, row.get::<_, Option<i64>>(1)?));
            break;
        }
    }
    drop(rows);
    let Some((by, source_line)) = found else {
        return Ok(None);
    };
    tx.prepare_cached("DELETE FROM event_deliveries WHERE event_id = ?1 AND delivered_by = ?2")?
        .execute([event_id, by])?;
    Ok(Some(Delivery {
        provenance: provenance_of(by),
        source_line,
    }))
}

/// Forgets the deliveries by `provenance` of versions it wrote itself (a row repeated in the file that
/// had just changed it): they are no other source.
pub(crate) fn forget_own(tx: &Transaction<'_>, provenance: Provenance) -> Result<()> {
    let (column, id) = provenance.column();
    tx.execute(
        &format!(
            "DELETE FROM event_deliveries WHERE delivered_by = ?1 AND (
                 (revision_id IS NULL AND event_id IN (SELECT id FROM events WHERE {column} = ?2))
                 OR revision_id IN (SELECT id FROM event_revisions WHERE {column} = ?2))"
        ),
        [key(provenance), id],
    )?;
    Ok(())
}

/// Forgets every delivery by `provenance`, and says how many events still in the ledger it had
/// delivered (another batch or sync run wrote them, so they stay).
pub(crate) fn forget_all_of(tx: &Transaction<'_>, provenance: Provenance) -> Result<u64> {
    let still_there: i64 = tx.query_row(
        "SELECT COUNT(*) FROM event_deliveries d
         WHERE d.delivered_by = ?1 AND d.revision_id IS NULL
           AND EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id)",
        [key(provenance)],
        |r| r.get(0),
    )?;
    tx.execute(
        "DELETE FROM event_deliveries WHERE delivered_by = ?1",
        [key(provenance)],
    )?;
    Ok(u64::try_from(still_there).unwrap_or(0))
}
