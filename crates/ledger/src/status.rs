//! A summary of what the ledger holds, for `tributary status` and the app's about box.

use crate::error::Result;
use crate::migrate;
use rusqlite::Connection;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerStatus {
    pub schema_version: i64,
    pub events: i64,
    pub sources: i64,
    pub batches_imported: i64,
    pub batches_undone: i64,
    pub connections: i64,
    pub change_counter: i64,
}

pub fn status(conn: &Connection) -> Result<LedgerStatus> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    Ok(LedgerStatus {
        schema_version: migrate::current_version(conn)?,
        events: count("SELECT COUNT(*) FROM events")?,
        sources: count("SELECT COUNT(*) FROM sources")?,
        batches_imported: count("SELECT COUNT(*) FROM batches WHERE status = 'imported'")?,
        batches_undone: count("SELECT COUNT(*) FROM batches WHERE status = 'undone'")?,
        connections: count("SELECT COUNT(*) FROM connections")?,
        change_counter: change_counter(conn)?,
    })
}

/// Whether the ledger holds any event: what a window needs to choose between its first-run screen and
/// the dashboard, without counting a million rows.
pub fn has_events(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM events)", [], |r| r.get(0))?)
}

/// Bumped by every committed write; a window polls it to notice changes made by another process.
pub fn change_counter(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT value FROM change_counter WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// When the last import still in the ledger finished (RFC 3339), for the tray's status line.
pub fn last_import(conn: &Connection) -> Result<Option<String>> {
    let millis: Option<i64> = conn.query_row(
        "SELECT MAX(finished_at) FROM batches WHERE status = 'imported'",
        [],
        |r| r.get(0),
    )?;
    Ok(millis.map(|ms| tributary_model::UtcInstant::from_millis(ms).to_rfc3339()))
}
