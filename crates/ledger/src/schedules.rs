//! When each connection syncs on its own: its interval, its pause (by the person, or by Tributary),
//! the global pause, and which connections are due now. Due means: active, not paused, and its last
//! run (of any outcome) started at least its interval ago — stretched by up to 10%, the same for a
//! connection every time, so that connections made together do not sync together. A machine that
//! slept through several intervals finds the connection due once, not once per missed interval; one
//! never synced is due at once. (After a failure, the job queue's backoff decides the retry.)

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use tributary_model::UtcInstant;

use crate::error::{LedgerError, Result};

/// The shortest and longest interval a connection may sync at.
pub const MIN_EVERY_SECS: u32 = 15 * 60;
pub const MAX_EVERY_SECS: u32 = 24 * 3600;

const PAUSED_KEY: &str = "sync_paused";

/// A connection's schedule and when it is next due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Schedule {
    pub connection_id: i64,
    pub name: String,
    pub every_secs: u32,
    /// `person` or `tributary` when paused.
    pub paused_by: Option<String>,
    /// When it is due (now or earlier: due now); `None` while it cannot sync (paused, globally paused,
    /// disconnected or needing a reconnect).
    pub next_at: Option<String>,
}

/// Up to 10% more than `every`, fixed per connection.
fn stretched(id: i64, every_secs: u32) -> i64 {
    let spread = (id.unsigned_abs().wrapping_mul(2_654_435_761) % 1000) as i64; // 0..1000 ‰ of 10%
    let every_ms = i64::from(every_secs) * 1000;
    every_ms + every_ms * spread / 10_000
}

pub(crate) fn globally_paused(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT value FROM ledger_settings WHERE key = ?1",
            [PAUSED_KEY],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .is_some_and(|v| v == "1"))
}

pub(crate) fn set_global_pause(tx: &Transaction<'_>, paused: bool) -> Result<()> {
    match paused {
        true => tx.execute(
            "INSERT INTO ledger_settings (key, value) VALUES (?1, '1')
             ON CONFLICT (key) DO UPDATE SET value = '1'",
            [PAUSED_KEY],
        )?,
        false => tx.execute("DELETE FROM ledger_settings WHERE key = ?1", [PAUSED_KEY])?,
    };
    Ok(())
}

fn id_of(tx: &Transaction<'_>, name: &str) -> Result<i64> {
    tx.query_row("SELECT id FROM connections WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| LedgerError::ConnectionNotFound(name.to_string()))
}

/// Sets how often `name` syncs; refused outside 15 minutes to a day.
pub(crate) fn set_every(tx: &Transaction<'_>, name: &str, every_secs: u32) -> Result<()> {
    if !(MIN_EVERY_SECS..=MAX_EVERY_SECS).contains(&every_secs) {
        return Err(LedgerError::ScheduleOutOfRange(every_secs));
    }
    let id = id_of(tx, name)?;
    tx.execute(
        "UPDATE connections SET sync_every_secs = ?2 WHERE id = ?1",
        params![id, every_secs],
    )?;
    Ok(())
}

/// Pauses `name` (`by`: `person` or `tributary`), or resumes it (`None`).
pub(crate) fn set_paused(tx: &Transaction<'_>, name: &str, by: Option<&str>) -> Result<()> {
    let id = id_of(tx, name)?;
    tx.execute(
        "UPDATE connections SET paused_by = ?2 WHERE id = ?1",
        params![id, by],
    )?;
    Ok(())
}

/// Every connection's schedule, by id.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Schedule>> {
    let global = globally_paused(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.sync_every_secs, c.paused_by, c.state,
                (SELECT MAX(r.started_at) FROM sync_runs r WHERE r.connection_id = c.id)
         FROM connections c ORDER BY c.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u32>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, every, paused_by, state, last_start) = row?;
        let can_sync = !global && paused_by.is_none() && state == "active";
        let next_ms = last_start.map_or(0, |t| t.saturating_add(stretched(id, every)));
        out.push(Schedule {
            connection_id: id,
            name,
            every_secs: every,
            paused_by,
            next_at: can_sync.then(|| UtcInstant::from_millis(next_ms).to_rfc3339()),
        });
    }
    Ok(out)
}

/// The connections due at `now`, most overdue first.
pub(crate) fn due(conn: &Connection, now: UtcInstant) -> Result<Vec<Schedule>> {
    let mut due: Vec<(i64, Schedule)> = list(conn)?
        .into_iter()
        .filter_map(|s| {
            let next = UtcInstant::parse_rfc3339(s.next_at.as_deref()?).ok()?;
            (next.millis() <= now.millis()).then_some((next.millis(), s))
        })
        .collect();
    due.sort_by_key(|(at, s)| (*at, s.connection_id));
    Ok(due.into_iter().map(|(_, s)| s).collect())
}

impl crate::Ledger {
    /// Every connection's schedule: interval, pause, when it is next due.
    pub fn schedules(&self) -> Result<Vec<Schedule>> {
        list(&self.conn)
    }

    /// The connections due at `now`, most overdue first (none while syncing is paused).
    pub fn due_connections(&self, now: UtcInstant) -> Result<Vec<Schedule>> {
        due(&self.conn, now)
    }

    /// How often connection `name` syncs (15 minutes to a day).
    pub fn set_sync_every(&mut self, name: &str, every_secs: u32) -> Result<()> {
        self.in_small_transaction("setting a schedule", |tx| set_every(tx, name, every_secs))
    }

    /// Pauses connection `name` (`by`: `person` or `tributary`), or resumes it (`None`).
    pub fn set_connection_paused(&mut self, name: &str, by: Option<&str>) -> Result<()> {
        self.in_small_transaction("pausing a connection", |tx| set_paused(tx, name, by))
    }

    /// Whether every connection's syncing is paused.
    pub fn syncing_paused(&self) -> Result<bool> {
        globally_paused(&self.conn)
    }

    pub fn set_syncing_paused(&mut self, paused: bool) -> Result<()> {
        self.in_small_transaction("pausing syncing", |tx| set_global_pause(tx, paused))
    }
}
