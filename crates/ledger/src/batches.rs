//! Import batches: one file's import as one transaction, its row errors, the list of batches, and undo.

use crate::error::{LedgerError, Result};
use crate::estimates::EstimatedPeriod;
use crate::figures::{change, read_figures, Figures, SUM_COLUMNS};
use crate::reports::all_time_totals;
use crate::turns::{Turn, WaitHook, Waiting};
use crate::undo::{remove_versions, RemovedCounts};
use crate::writer::{EventWriter, Provenance, WriteCounts, WriteOutcome};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior};
use tributary_model::{NewEvent, RowError, UtcInstant};

/// Only this many row errors are kept per batch; `rejected` counts them all.
pub const MAX_STORED_ERRORS: u64 = 1_000;

/// What is known about a file when its import starts.
#[derive(Clone, Debug)]
pub struct BatchStart {
    pub file_name: String,
    pub file_path: Option<String>,
    pub format: String,
}

/// What is known about a file once it has been read to the end.
#[derive(Clone, Debug, Default)]
pub struct BatchEnd {
    pub file_hash: Option<String>,
    pub file_size: Option<u64>,
    pub rows_read: u64,
    /// Rows the format's rules left out (a totals row, a failed payment).
    pub skipped: u64,
}

/// One import in progress: nothing is visible to anyone until `commit`; dropping it rolls back.
pub struct BatchWriter<'c> {
    // Declared before the transaction so that its statements are finalized before a rollback.
    events: EventWriter<'c>,
    tx: Transaction<'c>,
    batch_id: i64,
    rejected: u64,
    /// The ledger's all-time totals when the batch began: what it added is the change from them.
    before: Vec<Figures>,
    /// The first and last instant among the rows written (the period the file covers).
    span: Option<(UtcInstant, UtcInstant)>,
    // Dropped last, after the commit or rollback: the next writer's turn.
    _turn: Option<Turn>,
}

/// Begins a write transaction, waiting for as long as another program holds the ledger's write lock
/// (Tributary's own writers have waited their turn before this): a writer is never refused for being
/// second. IMMEDIATE takes the lock now, so a writer waits here instead of failing halfway.
pub(crate) fn begin_immediate<'c>(
    conn: &'c Connection,
    on_wait: Option<&WaitHook>,
) -> Result<Transaction<'c>> {
    let mut told = false;
    loop {
        match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => {
                if !std::mem::replace(&mut told, true) {
                    if let Some(hook) = on_wait {
                        hook(&Waiting { ahead: None });
                    }
                }
            }
            other => return Ok(other?),
        }
    }
}

impl<'c> BatchWriter<'c> {
    pub(crate) fn begin(
        conn: &'c mut Connection,
        start: &BatchStart,
        turn: Option<Turn>,
        on_wait: Option<&WaitHook>,
    ) -> Result<BatchWriter<'c>> {
        // The transaction and the writer's statements share the connection for as long as the batch
        // lives; the exclusive borrow taken here keeps anyone else from using it meanwhile.
        let conn: &'c Connection = conn;
        let tx = begin_immediate(conn, on_wait)?;
        tx.execute(
            "INSERT INTO batches (file_name, file_path, format, status, started_at)
             VALUES (?1, ?2, ?3, 'importing', ?4)",
            rusqlite::params![
                start.file_name,
                start.file_path,
                start.format,
                UtcInstant::now().millis()
            ],
        )?;
        let batch_id = tx.last_insert_rowid();
        let before = all_time_totals(&tx)?;
        Ok(BatchWriter {
            events: EventWriter::new(conn, Provenance::Batch(batch_id))?,
            tx,
            batch_id,
            rejected: 0,
            before,
            span: None,
            _turn: turn,
        })
    }

    /// The ledger's all-time totals per currency as this transaction saw them before its first write:
    /// what a dry run compares its preview with (no other writer can commit in between).
    pub fn totals_before(&self) -> &[Figures] {
        &self.before
    }

    pub fn batch_id(&self) -> i64 {
        self.batch_id
    }

    pub fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome> {
        let at = event.occurred_at;
        self.span = Some(match self.span {
            None => (at, at),
            Some((first, last)) => (first.min(at), last.max(at)),
        });
        self.events.write(&self.tx, event)
    }

    pub fn reject(&mut self, error: &RowError) -> Result<()> {
        self.rejected += 1;
        if self.rejected <= MAX_STORED_ERRORS {
            self.tx
                .prepare_cached(
                    "INSERT INTO batch_errors (batch_id, line, col, message) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(rusqlite::params![
                    self.batch_id,
                    error.line.and_then(|l| i64::try_from(l).ok()),
                    error.column,
                    error.message
                ])?;
        }
        Ok(())
    }

    pub fn counts(&self) -> WriteCounts {
        self.events.counts()
    }

    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// The estimated events this batch's final figures replace so far (see `estimates.rs`).
    pub fn replaced(&self) -> Result<Vec<EstimatedPeriod>> {
        crate::estimates::replaced_by(&self.tx, self.batch_id)
    }

    /// Records the file's facts, the counts, what it added to the figures and how many estimates it
    /// replaced, updates the rollups, and makes it all visible at once.
    pub fn commit(self, end: &BatchEnd) -> Result<BatchRecord> {
        let counts = self.events.finish(&self.tx)?;
        let replaced: i64 = crate::estimates::replaced_by(&self.tx, self.batch_id)?
            .iter()
            .map(|p| p.events)
            .sum();
        let after = all_time_totals(&self.tx)?;
        for f in change(&self.before, &after) {
            self.tx
                .prepare_cached(&format!(
                    "INSERT INTO batch_figures (batch_id, currency, {SUM_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                ))?
                .execute(rusqlite::params![
                    self.batch_id,
                    f.currency,
                    f.sales_minor,
                    f.refunds_minor,
                    f.chargebacks_minor,
                    f.fees_minor,
                    f.net_minor,
                    f.units,
                    f.kenp_pages,
                    f.events,
                    f.estimated_events
                ])?;
        }
        self.tx.execute(
            "UPDATE batches SET status = 'imported', finished_at = ?2, file_hash = ?3, file_size = ?4,
                 rows_read = ?5, inserted = ?6, updated = ?7, duplicates = ?8, rejected = ?9,
                 skipped = ?10, first_event_at = ?11, last_event_at = ?12, replaced_estimates = ?13
             WHERE id = ?1",
            rusqlite::params![
                self.batch_id,
                UtcInstant::now().millis(),
                end.file_hash,
                end.file_size.and_then(|s| i64::try_from(s).ok()),
                i64::try_from(end.rows_read).unwrap_or(i64::MAX),
                counts.inserted as i64,
                counts.updated as i64,
                counts.duplicates as i64,
                self.rejected as i64,
                i64::try_from(end.skipped).unwrap_or(i64::MAX),
                self.span.map(|s| s.0.millis()),
                self.span.map(|s| s.1.millis()),
                replaced,
            ],
        )?;
        let record =
            batch(&self.tx, self.batch_id)?.ok_or(LedgerError::BatchNotFound(self.batch_id))?;
        self.tx.commit()?;
        Ok(record)
    }

    /// What committing would leave in the ledger, then throws the import away: the counts, the
    /// all-time totals per currency as they would stand (a dry run compares them with the totals before),
    /// and the estimates the file's finals would replace.
    pub fn preview(self) -> Result<Preview> {
        let counts = self.events.finish(&self.tx)?;
        let totals = all_time_totals(&self.tx)?;
        let replaces = crate::estimates::replaced_by(&self.tx, self.batch_id)?;
        self.tx.rollback()?;
        Ok(Preview {
            counts,
            totals,
            replaces,
        })
    }

    /// Throws the whole import away (what dropping does too, said out loud).
    pub fn roll_back(self) -> Result<()> {
        self.tx.rollback()?;
        Ok(())
    }
}

/// What a dry run found (`BatchWriter::preview`).
pub struct Preview {
    pub counts: WriteCounts,
    /// The all-time totals per currency as they would stand.
    pub totals: Vec<Figures>,
    /// The estimated events the file's final figures would replace.
    pub replaces: Vec<EstimatedPeriod>,
}

/// A batch as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchRecord {
    pub id: i64,
    pub file_name: String,
    pub file_path: Option<String>,
    pub file_hash: Option<String>,
    pub file_size: Option<i64>,
    pub format: String,
    pub status: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub undone_at: Option<String>,
    pub rows_read: i64,
    pub inserted: i64,
    pub updated: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub skipped: i64,
    /// When the file's first and last rows happened (RFC 3339): the period it covers. None for a file
    /// with no rows, and for imports made before Tributary recorded it.
    pub first_event_at: Option<String>,
    pub last_event_at: Option<String>,
    /// What the import added to the ledger's figures when it landed, per currency (empty for imports
    /// made before Tributary recorded it, and for files that changed nothing).
    pub added: Vec<Figures>,
    /// How many estimated events the file's final figures replaced when it landed.
    pub replaced_estimates: i64,
}

const BATCH_COLUMNS: &str =
    "id, file_name, file_path, file_hash, file_size, format, status, started_at, \
     finished_at, undone_at, rows_read, inserted, updated, duplicates, rejected, skipped, \
     first_event_at, last_event_at, replaced_estimates";

fn read_batch(row: &rusqlite::Row<'_>) -> rusqlite::Result<BatchRecord> {
    let instant = |ms: i64| UtcInstant::from_millis(ms).to_rfc3339();
    Ok(BatchRecord {
        id: row.get(0)?,
        file_name: row.get(1)?,
        file_path: row.get(2)?,
        file_hash: row.get(3)?,
        file_size: row.get(4)?,
        format: row.get(5)?,
        status: row.get(6)?,
        started_at: instant(row.get(7)?),
        finished_at: row.get::<_, Option<i64>>(8)?.map(instant),
        undone_at: row.get::<_, Option<i64>>(9)?.map(instant),
        rows_read: row.get(10)?,
        inserted: row.get(11)?,
        updated: row.get(12)?,
        duplicates: row.get(13)?,
        rejected: row.get(14)?,
        skipped: row.get(15)?,
        first_event_at: row.get::<_, Option<i64>>(16)?.map(instant),
        last_event_at: row.get::<_, Option<i64>>(17)?.map(instant),
        added: Vec::new(),
        replaced_estimates: row.get(18)?,
    })
}

/// What each batch added, per currency, keyed by batch id (`None`: every batch).
fn added(
    conn: &Connection,
    id: Option<i64>,
) -> Result<std::collections::HashMap<i64, Vec<Figures>>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT batch_id, currency, {SUM_COLUMNS} FROM batch_figures
         WHERE ?1 IS NULL OR batch_id = ?1 ORDER BY batch_id, currency"
    ))?;
    let mut out: std::collections::HashMap<i64, Vec<Figures>> = std::collections::HashMap::new();
    let rows = statement.query_map([id], |row| {
        Ok((row.get::<_, i64>(0)?, read_figures(row, 1)?))
    })?;
    for row in rows {
        let (batch, figures) = row?;
        out.entry(batch).or_default().push(figures);
    }
    Ok(out)
}

pub fn batch(conn: &Connection, id: i64) -> Result<Option<BatchRecord>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1"
        ))?
        .query_row([id], read_batch)
        .optional()?;
    let Some(mut record) = found else {
        return Ok(None);
    };
    record.added = added(conn, Some(id))?.remove(&id).unwrap_or_default();
    Ok(Some(record))
}

/// Every batch, newest first.
pub fn list(conn: &Connection) -> Result<Vec<BatchRecord>> {
    let mut records: Vec<BatchRecord> = conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC"
        ))?
        .query_map([], read_batch)?
        .collect::<rusqlite::Result<_>>()?;
    let mut added = added(conn, None)?;
    for record in &mut records {
        record.added = added.remove(&record.id).unwrap_or_default();
    }
    Ok(records)
}

/// The row errors kept for a batch, in line order.
pub fn errors(conn: &Connection, id: i64) -> Result<Vec<RowError>> {
    Ok(conn
        .prepare_cached(
            "SELECT line, col, message FROM batch_errors WHERE batch_id = ?1 ORDER BY line, rowid",
        )?
        .query_map([id], |row| {
            Ok(RowError {
                line: row
                    .get::<_, Option<i64>>(0)?
                    .and_then(|l| u64::try_from(l).ok()),
                column: row.get(1)?,
                message: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// What undoing a batch did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UndoReport {
    pub batch: BatchRecord,
    #[serde(flatten)]
    pub counts: RemovedCounts,
    /// What the undo changed in the figures, per currency (negative where money went).
    pub changed: Vec<Figures>,
}

/// Takes exactly this batch's rows out of the ledger, putting back what they had replaced, and fixes the
/// rollups, all in one transaction.
pub(crate) fn undo(
    conn: &mut Connection,
    id: i64,
    turn: Option<Turn>,
    on_wait: Option<&WaitHook>,
) -> Result<UndoReport> {
    let tx = begin_immediate(conn, on_wait)?;
    let (counts, changed) = take_out(&tx, id)?;
    tx.execute(
        "UPDATE batches SET status = 'undone', undone_at = ?2 WHERE id = ?1",
        rusqlite::params![id, UtcInstant::now().millis()],
    )?;
    let batch = batch(&tx, id)?.ok_or(LedgerError::BatchNotFound(id))?;
    tx.commit()?;
    drop(turn);
    Ok(UndoReport {
        batch,
        counts,
        changed,
    })
}

/// Takes batch `id`'s versions out within `tx` (refusing a batch that is not there or undone already)
/// and returns what that did, in events and in the figures: undo's work, whether it then commits or, for
/// a preview, rolls back.
fn take_out(tx: &Transaction<'_>, id: i64) -> Result<(RemovedCounts, Vec<Figures>)> {
    let record = batch(tx, id)?.ok_or(LedgerError::BatchNotFound(id))?;
    if record.status == "undone" {
        return Err(LedgerError::BatchAlreadyUndone(id));
    }
    let before = all_time_totals(tx)?;
    let counts = remove_versions(tx, Provenance::Batch(id))?;
    let after = all_time_totals(tx)?;
    Ok((counts, change(&before, &after)))
}

/// What undoing the batch would do to the ledger's figures, per currency, without undoing it: the undo
/// run in a transaction that is then rolled back, so it is exactly what an undo now would take out (and
/// put back, where the batch had replaced earlier versions).
pub(crate) fn undo_effect(
    conn: &mut Connection,
    id: i64,
    turn: Option<Turn>,
    on_wait: Option<&WaitHook>,
) -> Result<Vec<Figures>> {
    let tx = begin_immediate(conn, on_wait)?;
    let (_, changed) = take_out(&tx, id)?;
    tx.rollback()?;
    drop(turn);
    Ok(changed)
}
