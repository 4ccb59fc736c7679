//! Which process runs the scheduled syncs for this data folder (the `runner_lease` table, migration
//! 13): the app, the tray process or `tributary daemon`, whichever took the lease; it renews the lease
//! while it lives, and the others wait and watch. Taking it is one `BEGIN IMMEDIATE`, so two processes
//! starting together cannot both win; a holder that stops renewing (it died) loses it at expiry.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use tributary_model::UtcInstant;

use crate::error::Result;

const SYNCS: &str = "syncs";

/// Who holds the runner's lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Runner {
    /// `tributary process 4242`.
    pub owner: String,
    /// `app`, `tray` or `daemon`.
    pub host: String,
    pub taken_at: String,
    pub expires_at: String,
}

/// What asking for the lease gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunnerLease {
    /// `owner` holds it (taken now, or renewed).
    Held,
    /// Another process holds it, unexpired.
    Busy(Runner),
}

/// The holder whose lease runs past `now`.
fn current(conn: &rusqlite::Connection, now: UtcInstant) -> Result<Option<Runner>> {
    let at = |ms: i64| UtcInstant::from_millis(ms).to_rfc3339();
    Ok(conn
        .query_row(
            "SELECT owner, host, taken_at, expires_at FROM runner_lease
             WHERE name = ?1 AND expires_at > ?2",
            params![SYNCS, now.millis()],
            |r| {
                Ok(Runner {
                    owner: r.get(0)?,
                    host: r.get(1)?,
                    taken_at: at(r.get(2)?),
                    expires_at: at(r.get(3)?),
                })
            },
        )
        .optional()?)
}

/// Takes or renews the lease for `owner` until `until`, unless another holds it past `now`.
fn take(
    tx: &Transaction<'_>,
    owner: &str,
    host: &str,
    now: UtcInstant,
    until: UtcInstant,
) -> Result<RunnerLease> {
    match current(tx, now)? {
        Some(runner) if runner.owner != owner => Ok(RunnerLease::Busy(runner)),
        Some(_) => {
            tx.execute(
                "UPDATE runner_lease SET expires_at = ?2, host = ?3 WHERE name = ?1",
                params![SYNCS, until.millis(), host],
            )?;
            Ok(RunnerLease::Held)
        }
        None => {
            tx.execute(
                "INSERT INTO runner_lease (name, owner, host, taken_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (name) DO UPDATE SET owner = ?2, host = ?3, taken_at = ?4, expires_at = ?5",
                params![SYNCS, owner, host, now.millis(), until.millis()],
            )?;
            Ok(RunnerLease::Held)
        }
    }
}

impl crate::Ledger {
    /// Takes (or renews) the scheduled syncs' lease for `owner` (`host`: app, tray or daemon) until
    /// `until`; `Busy` with the holder while another process holds it past `now`.
    pub fn take_runner_lease(
        &mut self,
        owner: &str,
        host: &str,
        now: UtcInstant,
        until: UtcInstant,
    ) -> Result<RunnerLease> {
        self.in_small_transaction("taking the syncs' lease", |tx| {
            take(tx, owner, host, now, until)
        })
    }

    /// Gives the lease up if `owner` holds it (a clean stop: another process may take over at once).
    pub fn release_runner_lease(&mut self, owner: &str) -> Result<bool> {
        self.in_small_transaction("releasing the syncs' lease", |tx| {
            Ok(tx.execute(
                "DELETE FROM runner_lease WHERE name = ?1 AND owner = ?2",
                params![SYNCS, owner],
            )? > 0)
        })
    }

    /// Ends `holder`'s lease now (its process is gone), so that the next `take_runner_lease` wins.
    pub fn expire_runner_lease(&mut self, holder: &str, now: UtcInstant) -> Result<()> {
        self.in_small_transaction("ending a gone process's lease", |tx| {
            tx.execute(
                "UPDATE runner_lease SET expires_at = MIN(expires_at, ?3) WHERE name = ?1 AND owner = ?2",
                params![SYNCS, holder, now.millis()],
            )?;
            Ok(())
        })
    }

    /// Who runs the scheduled syncs, if anyone holds the lease past `now`.
    pub fn runner(&self, now: UtcInstant) -> Result<Option<Runner>> {
        current(&self.conn, now)
    }
}
