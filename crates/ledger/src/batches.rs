//! Import batches: one file's import as one transaction, its row errors, the list of batches, and undo.

use crate::error::{LedgerError, Result};
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
        Ok(BatchWriter {
            events: EventWriter::new(conn, Provenance::Batch(batch_id))?,
            tx,
            batch_id,
            rejected: 0,
            _turn: turn,
        })
    }

    /// The ledger's all-time totals per currency as this transaction sees them: read before the first
    /// write, what a dry run compares its preview with (no other writer can commit in between).
    pub fn totals(&self) -> Result<Vec<crate::Figures>> {
        Ok(crate::reports::report(&self.tx, &crate::ReportQuery::default())?.totals)
    }

    pub fn batch_id(&self) -> i64 {
        self.batch_id
    }

    pub fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome> {
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

    /// Records the file's facts and the counts, updates the rollups, and makes it all visible at once.
    pub fn commit(self, end: &BatchEnd) -> Result<BatchRecord> {
        let counts = self.events.finish(&self.tx)?;
        self.tx.execute(
            "UPDATE batches SET status = 'imported', finished_at = ?2, file_hash = ?3, file_size = ?4,
                 rows_read = ?5, inserted = ?6, updated = ?7, duplicates = ?8, rejected = ?9,
                 skipped = ?10
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
            ],
        )?;
        let record =
            batch(&self.tx, self.batch_id)?.ok_or(LedgerError::BatchNotFound(self.batch_id))?;
        self.tx.commit()?;
        Ok(record)
    }

    /// What committing would leave in the ledger, then throws the import away: the counts, and the
    /// all-time totals per currency as they would stand (a dry run compares them with the totals before).
    pub fn preview(self) -> Result<(WriteCounts, Vec<crate::Figures>)> {
        let counts = self.events.finish(&self.tx)?;
        let totals = crate::reports::report(&self.tx, &crate::ReportQuery::default())?.totals;
        self.tx.rollback()?;
        Ok((counts, totals))
    }

    /// Throws the whole import away (what dropping does too, said out loud).
    pub fn roll_back(self) -> Result<()> {
        self.tx.rollback()?;
        Ok(())
    }
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
}

const BATCH_COLUMNS: &str =
    "id, file_name, file_path, file_hash, file_size, format, status, started_at, \
     finished_at, undone_at, rows_read, inserted, updated, duplicates, rejected, skipped";

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
    })
}

pub fn batch(conn: &Connection, id: i64) -> Result<Option<BatchRecord>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1"
        ))?
        .query_row([id], read_batch)
        .optional()?)
}

/// Every batch, newest first.
pub fn list(conn: &Connection) -> Result<Vec<BatchRecord>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC"
        ))?
        .query_map([], read_batch)?
        .collect::<rusqlite::Result<_>>()?)
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
    let record = batch(&tx, id)?.ok_or(LedgerError::BatchNotFound(id))?;
    if record.status == "undone" {
        return Err(LedgerError::BatchAlreadyUndone(id));
    }
    let counts = remove_versions(&tx, Provenance::Batch(id))?;
    tx.execute(
        "UPDATE batches SET status = 'undone', undone_at = ?2 WHERE id = ?1",
        rusqlite::params![id, UtcInstant::now().millis()],
    )?;
    let batch = batch(&tx, id)?.ok_or(LedgerError::BatchNotFound(id))?;
    tx.commit()?;
    drop(turn);
    Ok(UndoReport { batch, counts })
}
