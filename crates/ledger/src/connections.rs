//! The `connections` table: each platform account Tributary syncs from, by the name the person uses, its
//! state, its saved position and the lease that lets one process at a time sync it. Never its secret:
//! the secret store keeps that under a key made from the connection's id.

use crate::error::{LedgerError, Result};
use rusqlite::{Connection, OptionalExtension, Transaction};
use tributary_model::UtcInstant;

/// A connection about to be made (or remade: the same platform account reconnects).
#[derive(Clone, Debug)]
pub struct NewConnection {
    /// The name asked for; `None` picks the platform's id, then `<platform>-2`, `-3`…
    pub name: Option<String>,
    pub platform: String,
    /// The ledger account its events are booked under.
    pub account: String,
    /// `token` or `oauth`.
    pub auth_kind: String,
    pub remote_id: String,
    pub remote_name: String,
    pub credential_expires_at: Option<UtcInstant>,
    /// Days a later sync re-reads; `None` keeps the connection's (30 for a new one).
    pub lookback_days: Option<u32>,
}

/// A connection as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionRecord {
    pub id: i64,
    pub name: String,
    pub platform: String,
    pub account: String,
    pub auth_kind: String,
    pub remote_id: String,
    pub remote_name: String,
    /// `active`, `paused`, `needs_reconnect` or `disconnected`.
    pub state: String,
    pub state_reason: Option<String>,
    /// RFC 3339 instants.
    pub created_at: String,
    pub updated_at: String,
    pub last_success_at: Option<String>,
    pub credential_expires_at: Option<String>,
    /// Whether a sync has saved a position (the next one continues from it).
    pub has_cursor: bool,
    /// Days a later sync re-reads before the newest sale the last one saw.
    pub lookback_days: u32,
    /// Events its runs brought in that were new to the ledger: the runs' `inserted`, those undone
    /// left out (even when a later delivery kept their rows, which is rare and then undercounts).
    pub rows_synced: u64,
}

const COLUMNS: &str = "id, name, platform, account, auth_kind, remote_id, remote_name, state, \
     state_reason, created_at, updated_at, last_success_at, credential_expires_at, \
     sync_cursor IS NOT NULL, lookback_days, \
     (SELECT COALESCE(SUM(r.inserted), 0) FROM sync_runs r \
      WHERE r.connection_id = connections.id AND r.status != 'undone')";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<ConnectionRecord> {
    let instant = |ms: i64| UtcInstant::from_millis(ms).to_rfc3339();
    Ok(ConnectionRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        platform: row.get(2)?,
        account: row.get(3)?,
        auth_kind: row.get(4)?,
        remote_id: row.get(5)?,
        remote_name: row.get(6)?,
        state: row.get(7)?,
        state_reason: row.get(8)?,
        created_at: instant(row.get(9)?),
        updated_at: instant(row.get(10)?),
        last_success_at: row.get::<_, Option<i64>>(11)?.map(instant),
        credential_expires_at: row.get::<_, Option<i64>>(12)?.map(instant),
        has_cursor: row.get(13)?,
        lookback_days: row.get(14)?,
        rows_synced: row.get::<_, i64>(15)?.try_into().unwrap_or(0),
    })
}

/// Every connection, in the order they were made.
pub(crate) fn list(conn: &Connection) -> Result<Vec<ConnectionRecord>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM connections ORDER BY id"))?
        .query_map([], read)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The connection called `name`, or whose id `name` is.
pub(crate) fn find(conn: &Connection, name: &str) -> Result<Option<ConnectionRecord>> {
    let by_id = name.parse::<i64>().ok();
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM connections WHERE name = ?1 OR id = ?2 ORDER BY name = ?1 DESC LIMIT 1"
        ))?
        .query_row(rusqlite::params![name, by_id], read)
        .optional()?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<ConnectionRecord> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?1"))?
        .query_row([id], read)
        .optional()?
        .ok_or_else(|| LedgerError::ConnectionNotFound(id.to_string()))
}

/// What `connect` did: made a new connection, or remade the one this platform account already had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connected {
    pub connection: ConnectionRecord,
    pub reconnected: bool,
}

/// Makes the connection, or, for a platform account already connected, makes it active again with its
/// history, cursor and name kept (a reconnect after a revoked key or a disconnect).
pub(crate) fn connect(tx: &Transaction<'_>, new: &NewConnection) -> Result<Connected> {
    let now = UtcInstant::now().millis();
    let expires = new.credential_expires_at.map(UtcInstant::millis);
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM connections WHERE platform = ?1 AND remote_id = ?2",
            rusqlite::params![new.platform, new.remote_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        tx.execute(
            "UPDATE connections SET state = 'active', state_reason = NULL, remote_name = ?2,
                 auth_kind = ?3, credential_expires_at = ?4, updated_at = ?5,
                 lookback_days = COALESCE(?6, lookback_days) WHERE id = ?1",
            rusqlite::params![
                id,
                new.remote_name,
                new.auth_kind,
                expires,
                now,
                new.lookback_days
            ],
        )?;
        return Ok(Connected {
            connection: get(tx, id)?,
            reconnected: true,
        });
    }
    let name = match &new.name {
        Some(name) => {
            check_name(name)?;
            if find(tx, name)?.is_some() {
                return Err(LedgerError::ConnectionNameTaken(name.clone()));
            }
            name.clone()
        }
        None => free_name(tx, &new.platform)?,
    };
    tx.execute(
        "INSERT INTO connections (name, platform, account, auth_kind, remote_id, remote_name,
             credential_expires_at, created_at, updated_at, lookback_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, COALESCE(?9, 30))",
        rusqlite::params![
            name,
            new.platform,
            new.account,
            new.auth_kind,
            new.remote_id,
            new.remote_name,
            expires,
            now,
            new.lookback_days
        ],
    )?;
    Ok(Connected {
        connection: get(tx, tx.last_insert_rowid())?,
        reconnected: false,
    })
}

/// Gives connection `name` (or id) the name `new_name`, which must be free and a word a person types.
pub(crate) fn rename(tx: &Transaction<'_>, name: &str, new_name: &str) -> Result<ConnectionRecord> {
    let record =
        find(tx, name)?.ok_or_else(|| LedgerError::ConnectionNotFound(name.to_string()))?;
    check_name(new_name)?;
    if record.name == new_name {
        return Ok(record);
    }
    if find(tx, new_name)?.is_some() {
        return Err(LedgerError::ConnectionNameTaken(new_name.to_string()));
    }
    tx.execute(
        "UPDATE connections SET name = ?2, updated_at = ?3 WHERE id = ?1",
        rusqlite::params![record.id, new_name, UtcInstant::now().millis()],
    )?;
    get(tx, record.id)
}

/// The accounts a platform's events are booked under. A source row is made with its first event; one
/// whose events were all undone holds none and does not count.
pub(crate) fn accounts_of(conn: &Connection, platform: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT s.account FROM sources AS s
         WHERE s.platform = ?1 AND EXISTS (SELECT 1 FROM events AS e WHERE e.source_id = s.id)
         ORDER BY s.account",
    )?;
    let accounts = statement
        .query_map([platform], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(accounts)
}

/// A name is what a person types: letters, digits, `-` and `_`, not only digits (those are ids).
fn check_name(name: &str) -> Result<()> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.chars().all(|c| c.is_ascii_digit());
    match fine {
        true => Ok(()),
        false => Err(LedgerError::BadConnectionName(name.to_string())),
    }
}

fn free_name(conn: &Connection, platform: &str) -> Result<String> {
    let mut n = 1;
    loop {
        let name = match n {
            1 => platform.to_string(),
            _ => format!("{platform}-{n}"),
        };
        if find(conn, &name)?.is_none() {
            return Ok(name);
        }
        n += 1;
    }
}

/// Puts the connection in `state` (`active`, `paused`, `needs_reconnect`, `disconnected`), saying why.
pub(crate) fn set_state(
    conn: &Connection,
    id: i64,
    state: &str,
    reason: Option<&str>,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE connections SET state = ?2, state_reason = ?3, updated_at = ?4 WHERE id = ?1",
        rusqlite::params![id, state, reason, UtcInstant::now().millis()],
    )?;
    match changed {
        0 => Err(LedgerError::ConnectionNotFound(id.to_string())),
        _ => Ok(()),
    }
}

/// The connector's saved position.
pub(crate) fn cursor(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT sync_cursor FROM connections WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Takes (or renews) the connection's lease for `owner` until `until`, unless another owner holds one
/// that has not expired: then who holds it, and until when.
pub(crate) fn take_lease(
    tx: &Transaction<'_>,
    id: i64,
    owner: &str,
    until: UtcInstant,
) -> Result<std::result::Result<(), (String, UtcInstant)>> {
    let now = UtcInstant::now().millis();
    let held: Option<(Option<String>, Option<i64>)> = tx
        .query_row(
            "SELECT lease_owner, lease_expires_at FROM connections WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some(held) = held else {
        return Err(LedgerError::ConnectionNotFound(id.to_string()));
    };
    if let (Some(other), Some(expires)) = held {
        if other != owner && expires > now {
            return Ok(Err((other, UtcInstant::from_millis(expires))));
        }
    }
    tx.execute(
        "UPDATE connections SET lease_owner = ?2, lease_expires_at = ?3 WHERE id = ?1",
        rusqlite::params![id, owner, until.millis()],
    )?;
    Ok(Ok(()))
}

pub(crate) fn release_lease(conn: &Connection, id: i64, owner: &str) -> Result<()> {
    conn.execute(
        "UPDATE connections SET lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ?1 AND lease_owner = ?2",
        rusqlite::params![id, owner],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_words_not_ids() {
        assert!(check_name("gumroad-2").is_ok());
        assert!(check_name("my_store").is_ok());
        for bad in ["", "12", "a b", "x/y", &"n".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
