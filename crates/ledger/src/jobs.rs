//! The durable job queue (the `jobs` table, migration 10): what a hosted service would keep in Redis,
//! kept in the ledger's own file so that it survives restarts and every process on the data folder
//! sees one queue. Enqueue with a dedupe key (one pending job per key), claim with a lease (atomic:
//! one `BEGIN IMMEDIATE` picks and takes it, so two processes never run the same job), heartbeat,
//! complete, fail — queued again at the time the caller's backoff says, or dead after its attempts —
//! and retry a dead one. A job whose lease expired (its process died) is claimed again.
//!
//! Every function takes `now`: the scheduler's clock, which tests control.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use tributary_model::UtcInstant;

use crate::error::{LedgerError, Result};

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// What to do (`sync`).
    pub kind: String,
    /// Its arguments, as JSON text (`{"connection":3}`).
    pub payload: String,
    /// At most one queued or running job per key (`sync:3`).
    pub dedupe_key: Option<String>,
    /// Not before this.
    pub run_at: UtcInstant,
    pub max_attempts: u32,
}

/// A job as `tributary jobs` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    /// `queued`, `running`, `done` or `dead`.
    pub status: String,
    pub run_at: String,
    pub attempts: u32,
    pub max_attempts: u32,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<String>,
    pub last_error: Option<String>,
    pub failed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A job a worker took: run it, heartbeat while it runs, then complete or fail it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// Whether a worker held it before and its lease ran out (its process died mid-run).
    pub reclaimed: bool,
}

/// What became of a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Queued again, to run at the given time.
    Retry(UtcInstant),
    /// Out of attempts: dead until `retry_job`.
    Dead,
}

const COLUMNS: &str = "id, kind, payload, dedupe_key, status, run_at, attempts, max_attempts, \
     lease_owner, lease_expires_at, last_error, failed_at, created_at, updated_at";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<JobRecord> {
    let at = |ms: i64| UtcInstant::from_millis(ms).to_rfc3339();
    Ok(JobRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        payload: row.get(2)?,
        dedupe_key: row.get(3)?,
        status: row.get(4)?,
        run_at: at(row.get(5)?),
        attempts: row.get(6)?,
        max_attempts: row.get(7)?,
        lease_owner: row.get(8)?,
        lease_expires_at: row.get::<_, Option<i64>>(9)?.map(at),
        last_error: row.get(10)?,
        failed_at: row.get::<_, Option<i64>>(11)?.map(at),
        created_at: at(row.get(12)?),
        updated_at: at(row.get(13)?),
    })
}

/// The queued or running job with dedupe key `key`, if any (none without a key).
fn pending_with_key(tx: &Transaction<'_>, key: Option<&str>) -> Result<Option<i64>> {
    let Some(key) = key else {
        return Ok(None);
    };
    Ok(tx
        .query_row(
            "SELECT id FROM jobs WHERE dedupe_key = ?1 AND status IN ('queued', 'running')",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Queues `job` unless a queued or running job has its dedupe key: then that job's id, and false.
pub(crate) fn enqueue(tx: &Transaction<'_>, job: &NewJob, now: UtcInstant) -> Result<(i64, bool)> {
    if let Some(id) = pending_with_key(tx, job.dedupe_key.as_deref())? {
        return Ok((id, false));
    }
    tx.execute(
        "INSERT INTO jobs (kind, payload, dedupe_key, status, run_at, max_attempts, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?6)",
        params![
            job.kind,
            job.payload,
            job.dedupe_key,
            job.run_at.millis(),
            job.max_attempts.max(1),
            now.millis()
        ],
    )?;
    Ok((tx.last_insert_rowid(), true))
}

/// Takes the job due first (queued and due, or running with an expired lease) for `owner` until
/// `lease_until`.
pub(crate) fn claim(
    tx: &Transaction<'_>,
    owner: &str,
    now: UtcInstant,
    lease_until: UtcInstant,
) -> Result<Option<ClaimedJob>> {
    let due: Option<(i64, String, String, u32, String)> = tx
        .query_row(
            "SELECT id, kind, payload, attempts, status FROM jobs
             WHERE (status = 'queued' AND run_at <= ?1)
                OR (status = 'running' AND lease_expires_at <= ?1)
             ORDER BY run_at, id LIMIT 1",
            [now.millis()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, kind, payload, attempts, status)) = due else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?2,
                lease_expires_at = ?3, updated_at = ?4
         WHERE id = ?1",
        params![id, owner, lease_until.millis(), now.millis()],
    )?;
    Ok(Some(ClaimedJob {
        id,
        kind,
        payload,
        attempt: attempts + 1,
        reclaimed: status == "running",
    }))
}

/// The running job `id` as `owner` holds it, or why not: it is not running, or another holds it.
fn held(tx: &Transaction<'_>, id: i64, owner: &str) -> Result<(u32, u32)> {
    let row: Option<(String, Option<String>, u32, u32)> = tx
        .query_row(
            "SELECT status, lease_owner, attempts, max_attempts FROM jobs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match row {
        None => Err(LedgerError::JobNotFound(id)),
        Some((status, lease_owner, attempts, max)) => {
            if status != "running" || lease_owner.as_deref() != Some(owner) {
                return Err(LedgerError::JobNotHeld {
                    id,
                    status,
                    holder: lease_owner,
                });
            }
            Ok((attempts, max))
        }
    }
}

pub(crate) fn heartbeat(
    tx: &Transaction<'_>,
    id: i64,
    owner: &str,
    now: UtcInstant,
    lease_until: UtcInstant,
) -> Result<()> {
    held(tx, id, owner)?;
    tx.execute(
        "UPDATE jobs SET lease_expires_at = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, lease_until.millis(), now.millis()],
    )?;
    Ok(())
}

pub(crate) fn complete(tx: &Transaction<'_>, id: i64, owner: &str, now: UtcInstant) -> Result<()> {
    held(tx, id, owner)?;
    tx.execute(
        "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?2
         WHERE id = ?1",
        params![id, now.millis()],
    )?;
    Ok(())
}

/// Records the failure; queued again at `retry_at` while attempts remain, else (or with no
/// `retry_at`: a retry cannot mend it) dead.
pub(crate) fn fail(
    tx: &Transaction<'_>,
    id: i64,
    owner: &str,
    error: &str,
    now: UtcInstant,
    retry_at: Option<UtcInstant>,
) -> Result<AfterFailure> {
    let (attempts, max) = held(tx, id, owner)?;
    let after = match retry_at {
        Some(at) if attempts < max => AfterFailure::Retry(at),
        _ => AfterFailure::Dead,
    };
    let (status, run_at) = match after {
        AfterFailure::Dead => ("dead", now),
        AfterFailure::Retry(at) => ("queued", at),
    };
    tx.execute(
        "UPDATE jobs SET status = ?2, run_at = ?3, lease_owner = NULL, lease_expires_at = NULL,
                last_error = ?4, failed_at = ?5, updated_at = ?5
         WHERE id = ?1",
        params![id, status, run_at.millis(), error, now.millis()],
    )?;
    Ok(after)
}

/// Puts a job its worker stopped before the end (the process is closing) back in the queue, due
/// now, its attempt not counted.
pub(crate) fn release(tx: &Transaction<'_>, id: i64, owner: &str, now: UtcInstant) -> Result<()> {
    held(tx, id, owner)?;
    tx.execute(
        "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), run_at = ?2,
                lease_owner = NULL, lease_expires_at = NULL, updated_at = ?2
         WHERE id = ?1",
        params![id, now.millis()],
    )?;
    Ok(())
}

/// Ends the leases `owner` holds now (its process is gone), so that its jobs are claimed again.
pub(crate) fn expire_leases_of(tx: &Transaction<'_>, owner: &str, now: UtcInstant) -> Result<u64> {
    Ok(tx.execute(
        "UPDATE jobs SET lease_expires_at = ?2, updated_at = ?2
         WHERE status = 'running' AND lease_owner = ?1 AND lease_expires_at > ?2",
        params![owner, now.millis()],
    )? as u64)
}

/// Queues a dead job again with fresh attempts, unless its dedupe key has a pending job already.
pub(crate) fn retry(tx: &Transaction<'_>, id: i64, now: UtcInstant) -> Result<JobRecord> {
    let job = get(tx, id)?;
    if job.status != "dead" {
        return Err(LedgerError::JobNotDead {
            id,
            status: job.status,
        });
    }
    if let Some(other) = pending_with_key(tx, job.dedupe_key.as_deref())? {
        return Err(LedgerError::JobPending { id, other });
    }
    tx.execute(
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id, now.millis()],
    )?;
    get(tx, id)
}

pub(crate) fn get(conn: &rusqlite::Connection, id: i64) -> Result<JobRecord> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"),
        [id],
        read,
    )
    .optional()?
    .ok_or(LedgerError::JobNotFound(id))
}

/// The newest `limit` jobs, newest first.
pub(crate) fn list(conn: &rusqlite::Connection, limit: u32) -> Result<Vec<JobRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], read)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// How many jobs are in each state (every state named, zeros included).
pub(crate) fn counts(conn: &rusqlite::Connection) -> Result<Vec<(String, u64)>> {
    let mut out: Vec<(String, u64)> = ["queued", "running", "done", "dead"]
        .iter()
        .map(|s| ((*s).to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM jobs GROUP BY status")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (status, n) = row?;
        if let Some(slot) = out.iter_mut().find(|(s, _)| *s == status) {
            slot.1 = u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(out)
}

impl crate::Ledger {
    /// Queues a job (see `jobs.rs`); with a dedupe key a queued or running job has, that job's id and
    /// false instead.
    pub fn enqueue_job(&mut self, job: &NewJob, now: UtcInstant) -> Result<(i64, bool)> {
        self.in_small_transaction("queueing a job", |tx| enqueue(tx, job, now))
    }

    /// Takes the job due first for `owner` until `lease_until`: one process gets each job.
    pub fn claim_job(
        &mut self,
        owner: &str,
        now: UtcInstant,
        lease_until: UtcInstant,
    ) -> Result<Option<ClaimedJob>> {
        self.in_small_transaction("claiming a job", |tx| claim(tx, owner, now, lease_until))
    }

    pub fn heartbeat_job(
        &mut self,
        id: i64,
        owner: &str,
        now: UtcInstant,
        lease_until: UtcInstant,
    ) -> Result<()> {
        self.in_small_transaction("renewing a job's lease", |tx| {
            heartbeat(tx, id, owner, now, lease_until)
        })
    }

    pub fn complete_job(&mut self, id: i64, owner: &str, now: UtcInstant) -> Result<()> {
        self.in_small_transaction("finishing a job", |tx| complete(tx, id, owner, now))
    }

    /// Records a failure: queued again at `retry_at` (the caller's backoff) while attempts remain;
    /// dead at once without one (a retry cannot mend it).
    pub fn fail_job(
        &mut self,
        id: i64,
        owner: &str,
        error: &str,
        now: UtcInstant,
        retry_at: Option<UtcInstant>,
    ) -> Result<AfterFailure> {
        self.in_small_transaction("recording a job's failure", |tx| {
            fail(tx, id, owner, error, now, retry_at)
        })
    }

    /// Puts job `id` back in the queue unfinished, its attempt not counted (the worker is stopping).
    pub fn release_job(&mut self, id: i64, owner: &str, now: UtcInstant) -> Result<()> {
        self.in_small_transaction("putting a job back", |tx| release(tx, id, owner, now))
    }

    /// Lets the jobs a gone process held be claimed again at once.
    pub fn expire_job_leases_of(&mut self, owner: &str, now: UtcInstant) -> Result<u64> {
        self.in_small_transaction("freeing a gone process's jobs", |tx| {
            expire_leases_of(tx, owner, now)
        })
    }

    /// Makes the queued job with `dedupe_key` due at `now` (a resumed connection, "Retry now"); true
    /// when there was one.
    pub fn run_queued_now(&mut self, dedupe_key: &str, now: UtcInstant) -> Result<bool> {
        self.in_small_transaction("hurrying a job", |tx| {
            Ok(tx.execute(
                "UPDATE jobs SET run_at = MIN(run_at, ?2), updated_at = ?2
                 WHERE dedupe_key = ?1 AND status = 'queued'",
                params![dedupe_key, now.millis()],
            )? > 0)
        })
    }

    /// Removes done jobs last touched before `before` (dead ones stay until retried or looked at);
    /// how many went.
    pub fn sweep_done_jobs(&mut self, before: UtcInstant) -> Result<u64> {
        self.in_small_transaction("sweeping done jobs", |tx| {
            Ok(tx.execute(
                "DELETE FROM jobs WHERE status = 'done' AND updated_at < ?1",
                [before.millis()],
            )? as u64)
        })
    }

    /// When the next queued job is due, if any is queued.
    pub fn next_job_at(&self) -> Result<Option<UtcInstant>> {
        Ok(self
            .conn
            .query_row(
                "SELECT MIN(run_at) FROM jobs WHERE status = 'queued'",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )?
            .map(UtcInstant::from_millis))
    }

    /// Queues a dead job again with fresh attempts.
    pub fn retry_job(&mut self, id: i64, now: UtcInstant) -> Result<JobRecord> {
        self.in_small_transaction("retrying a job", |tx| retry(tx, id, now))
    }

    /// The newest `limit` jobs, newest first.
    pub fn jobs(&self, limit: u32) -> Result<Vec<JobRecord>> {
        list(&self.conn, limit)
    }

    /// How many jobs are queued, running, done and dead.
    pub fn job_counts(&self) -> Result<Vec<(String, u64)>> {
        counts(&self.conn)
    }
}
