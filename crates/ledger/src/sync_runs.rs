//! The `sync_runs` table and the tables beside it: a run starts (taking the connection's lease and
//! marking a run whose process went away as interrupted), its pages commit through `SyncPageWriter`,
//! and it ends succeeded or failed with its failure's class; the requests it made are kept. A run can be
//! undone like an import batch.

use crate::batches::begin_immediate;
use crate::connections;
use crate::error::{LedgerError, Result};
use crate::figures::{change, read_figures, Figures, SUM_COLUMNS};
use crate::reports::all_time_totals;
use crate::turns::{Turn, WaitHook};
use crate::undo::{remove_versions, RemovedCounts};
use crate::writer::Provenance;
use rusqlite::{Connection, OptionalExtension, Transaction};
use tributary_model::{FailureClass, UtcInstant};

/// One HTTP request of a run, as the run keeps it (the HTTP client's record, without the HTTP crate).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestRow {
    pub method: String,
    /// Path and query, secret-looking values masked.
    pub target: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub retries: u32,
}

/// Why a run stopped short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFailure {
    pub class: FailureClass,
    pub request: Option<String>,
    pub message: String,
    pub retry_after_ms: Option<u64>,
}

/// Where a started run begins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStart {
    pub run_id: i64,
    pub cursor: Option<String>,
    /// Runs of this connection whose process had gone away, now marked interrupted.
    pub interrupted: u64,
}

/// A sync run as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncRunRecord {
    pub id: i64,
    pub connection_id: i64,
    /// `running`, `succeeded`, `failed`, `interrupted` or `undone`.
    pub status: String,
    pub full_resync: bool,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub undone_at: Option<String>,
    pub pages: i64,
    pub inserted: i64,
    pub updated: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub requests: i64,
    pub retries: i64,
    pub first_event_at: Option<String>,
    pub last_event_at: Option<String>,
    pub error_class: Option<FailureClass>,
    pub error_request: Option<String>,
    pub error_message: Option<String>,
    pub retry_after_ms: Option<i64>,
    /// What the run added to the figures, per currency.
    pub added: Vec<Figures>,
}

const RUN_COLUMNS: &str = "id, connection_id, status, full_resync, started_at, finished_at, undone_at, \
     pages, inserted, updated, duplicates, rejected, requests, retries, first_event_at, last_event_at, \
     error_class, error_request, error_message, retry_after_ms";

fn read_run(row: &rusqlite::Row<'_>) -> rusqlite::Result<SyncRunRecord> {
    let instant = |ms: i64| UtcInstant::from_millis(ms).to_rfc3339();
    let class: Option<String> = row.get(16)?;
    Ok(SyncRunRecord {
        id: row.get(0)?,
        connection_id: row.get(1)?,
        status: row.get(2)?,
        full_resync: row.get(3)?,
        started_at: instant(row.get(4)?),
        finished_at: row.get::<_, Option<i64>>(5)?.map(instant),
        undone_at: row.get::<_, Option<i64>>(6)?.map(instant),
        pages: row.get(7)?,
        inserted: row.get(8)?,
        updated: row.get(9)?,
        duplicates: row.get(10)?,
        rejected: row.get(11)?,
        requests: row.get(12)?,
        retries: row.get(13)?,
        first_event_at: row.get::<_, Option<i64>>(14)?.map(instant),
        last_event_at: row.get::<_, Option<i64>>(15)?.map(instant),
        error_class: class.and_then(|c| FailureClass::ALL.into_iter().find(|k| k.as_str() == c)),
        error_request: row.get(17)?,
        error_message: row.get(18)?,
        retry_after_ms: row.get(19)?,
        added: Vec::new(),
    })
}

fn figures_of(conn: &Connection, run: i64) -> Result<Vec<Figures>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT currency, {SUM_COLUMNS} FROM sync_run_figures WHERE sync_run_id = ?1
             ORDER BY currency"
        ))?
        .query_map([run], |row| read_figures(row, 0))?
        .collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn run(conn: &Connection, id: i64) -> Result<Option<SyncRunRecord>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM sync_runs WHERE id = ?1"
        ))?
        .query_row([id], read_run)
        .optional()?;
    let Some(mut record) = found else {
        return Ok(None);
    };
    record.added = figures_of(conn, id)?;
    Ok(Some(record))
}

/// The connection's runs, newest first, at most `limit`.
pub(crate) fn runs(conn: &Connection, connection: i64, limit: u32) -> Result<Vec<SyncRunRecord>> {
    let mut records: Vec<SyncRunRecord> = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM sync_runs WHERE connection_id = ?1 ORDER BY id DESC LIMIT ?2"
        ))?
        .query_map(rusqlite::params![connection, limit], read_run)?
        .collect::<rusqlite::Result<_>>()?;
    for record in &mut records {
        record.added = figures_of(conn, record.id)?;
    }
    Ok(records)
}

/// The requests a run made, in order.
pub(crate) fn requests(conn: &Connection, run: i64) -> Result<Vec<RequestRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT method, target, status, duration_ms, retries FROM sync_requests
             WHERE sync_run_id = ?1 ORDER BY id",
        )?
        .query_map([run], |row| {
            Ok(RequestRow {
                method: row.get(0)?,
                target: row.get(1)?,
                status: row
                    .get::<_, Option<i64>>(2)?
                    .and_then(|s| u16::try_from(s).ok()),
                duration_ms: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                retries: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Keeps `rows` on run `run` and adds them to its counts.
pub(crate) fn record_requests(conn: &Connection, run: i64, rows: &[RequestRow]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_requests (sync_run_id, method, target, status, duration_ms, retries)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut retries = 0i64;
    for r in rows {
        insert.execute(rusqlite::params![
            run,
            r.method,
            r.target,
            r.status,
            i64::try_from(r.duration_ms).unwrap_or(i64::MAX),
            r.retries
        ])?;
        retries += i64::from(r.retries);
    }
    conn.prepare_cached(
        "UPDATE sync_runs SET requests = requests + ?2, retries = retries + ?3 WHERE id = ?1",
    )?
    .execute(rusqlite::params![run, rows.len() as i64, retries])?;
    Ok(())
}

/// Starts a run of `connection` for `owner`, its lease held until `lease_until`. Refused while another
/// process holds an unexpired lease (it is syncing), and for a disconnected connection.
pub(crate) fn start(
    tx: &Transaction<'_>,
    connection: i64,
    full: bool,
    owner: &str,
    lease_until: UtcInstant,
) -> Result<RunStart> {
    let record = connections::get(tx, connection)?;
    if record.state == "disconnected" {
        return Err(LedgerError::ConnectionDisconnected(record.name));
    }
    if let Err((holder, until)) = connections::take_lease(tx, connection, owner, lease_until)? {
        return Err(LedgerError::ConnectionBusy {
            name: record.name,
            holder,
            until: until.to_rfc3339(),
        });
    }
    // The lease was free or expired: any run still marked running lost its process.
    let interrupted = tx.execute(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = ?2
         WHERE connection_id = ?1 AND status = 'running'",
        rusqlite::params![connection, UtcInstant::now().millis()],
    )? as u64;
    let cursor = match full {
        true => None,
        false => connections::cursor(tx, connection)?,
    };
    tx.execute(
        "INSERT INTO sync_runs (connection_id, status, full_resync, started_at, cursor_before)
         VALUES (?1, 'running', ?2, ?3, ?4)",
        rusqlite::params![
            connection,
            full,
            UtcInstant::now().millis(),
            connections::cursor(tx, connection)?
        ],
    )?;
    Ok(RunStart {
        run_id: tx.last_insert_rowid(),
        cursor,
        interrupted,
    })
}

/// Ends run `run`: succeeded, or failed with its failure (an authentication failure puts the connection
/// in `needs_reconnect`); the lease is released either way.
pub(crate) fn finish(
    tx: &Transaction<'_>,
    run: i64,
    owner: &str,
    failure: Option<&RunFailure>,
) -> Result<SyncRunRecord> {
    let now = UtcInstant::now().millis();
    let connection = connection_of(tx, run)?;
    match failure {
        None => {
            tx.execute(
                "UPDATE sync_runs SET status = 'succeeded', finished_at = ?2 WHERE id = ?1",
                rusqlite::params![run, now],
            )?;
            tx.execute(
                "UPDATE connections SET last_success_at = ?2 WHERE id = ?1",
                rusqlite::params![connection, now],
            )?;
        }
        Some(f) => {
            tx.execute(
                "UPDATE sync_runs SET status = 'failed', finished_at = ?2, error_class = ?3,
                     error_request = ?4, error_message = ?5, retry_after_ms = ?6 WHERE id = ?1",
                rusqlite::params![
                    run,
                    now,
                    f.class.as_str(),
                    f.request,
                    f.message,
                    f.retry_after_ms.and_then(|ms| i64::try_from(ms).ok())
                ],
            )?;
            if f.class == FailureClass::Authentication {
                connections::set_state(tx, connection, "needs_reconnect", Some(&f.message))?;
            }
        }
    }
    connections::release_lease(tx, connection, owner)?;
    run_or_missing(tx, run)
}

/// The connection run `run` synced.
fn connection_of(tx: &Transaction<'_>, run: i64) -> Result<i64> {
    tx.query_row(
        "SELECT connection_id FROM sync_runs WHERE id = ?1",
        [run],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(LedgerError::SyncRunNotFound(run))
}

/// Ends run `run` as interrupted (its process is closing, between pages): its whole pages are kept
/// and the next run goes on after them; not a failure. The lease is released.
pub(crate) fn interrupt(tx: &Transaction<'_>, run: i64, owner: &str) -> Result<SyncRunRecord> {
    let connection = connection_of(tx, run)?;
    tx.execute(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = ?2 WHERE id = ?1",
        rusqlite::params![run, UtcInstant::now().millis()],
    )?;
    connections::release_lease(tx, connection, owner)?;
    run_or_missing(tx, run)
}

fn run_or_missing(conn: &Connection, id: i64) -> Result<SyncRunRecord> {
    run(conn, id)?.ok_or(LedgerError::SyncRunNotFound(id))
}

/// What undoing a sync run did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncUndoReport {
    pub run: SyncRunRecord,
    #[serde(flatten)]
    pub counts: RemovedCounts,
    /// What the undo changed in the figures, per currency (negative where money went).
    pub changed: Vec<Figures>,
}

/// Takes exactly this run's rows out of the ledger, as undoing a batch does. The connection's position
/// stays: a later sync does not bring the rows back unless it reads them again (`--full`, or within its
/// look-back).
pub(crate) fn undo(
    conn: &mut Connection,
    id: i64,
    turn: Option<Turn>,
    on_wait: Option<&WaitHook>,
) -> Result<SyncUndoReport> {
    let tx = begin_immediate(conn, on_wait)?;
    let record = run_or_missing(&tx, id)?;
    match record.status.as_str() {
        "undone" => return Err(LedgerError::SyncRunAlreadyUndone(id)),
        "running" => return Err(LedgerError::SyncRunRunning(id)),
        _ => {}
    }
    let before = all_time_totals(&tx)?;
    let counts = remove_versions(&tx, Provenance::SyncRun(id))?;
    let after = all_time_totals(&tx)?;
    tx.execute(
        "UPDATE sync_runs SET status = 'undone', undone_at = ?2 WHERE id = ?1",
        rusqlite::params![id, UtcInstant::now().millis()],
    )?;
    let run = run_or_missing(&tx, id)?;
    tx.commit()?;
    drop(turn);
    Ok(SyncUndoReport {
        run,
        counts,
        changed: change(&before, &after),
    })
}
