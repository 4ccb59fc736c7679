//! Noticing that the ledger changed, whoever changed it (this process, the CLI, a sync): SQLite's
//! `data_version` on a connection of its own moves whenever any other connection commits to the file.
//! Polling it reads no table, so a window can poll it often for nothing.

use crate::connection::open_reader;
use crate::error::Result;
use rusqlite::Connection;
use std::path::Path;

pub struct ChangeProbe {
    conn: Connection,
}

impl ChangeProbe {
    /// Watches the ledger file at `path`, which must exist.
    pub fn open(path: &Path) -> Result<ChangeProbe> {
        Ok(ChangeProbe {
            conn: open_reader(path)?,
        })
    }

    /// When the last import still in the ledger finished (RFC 3339), read on this read-only connection.
    pub fn last_import(&self) -> Result<Option<String>> {
        crate::status::last_import(&self.conn)
    }

    /// Whether "Pause syncing" is on, read on this read-only connection (the trays' tick mark).
    pub fn syncing_paused(&self) -> Result<bool> {
        crate::schedules::globally_paused(&self.conn)
    }

    /// Every connection, read on this read-only connection (the trays' health line).
    pub fn connections(&self) -> Result<Vec<crate::ConnectionRecord>> {
        crate::connections::list(&self.conn)
    }

    /// Every connection's schedule, read on this read-only connection.
    pub fn schedules(&self) -> Result<Vec<crate::Schedule>> {
        crate::schedules::list(&self.conn)
    }

    /// Connection `id`'s newest `limit` runs, read on this read-only connection.
    pub fn sync_runs(&self, connection: i64, limit: u32) -> Result<Vec<crate::SyncRunRecord>> {
        crate::sync_runs::runs(&self.conn, connection, limit)
    }

    /// A number that differs from the last one read whenever the file changed in between.
    pub fn version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ledger;

    #[test]
    fn moves_when_another_connection_commits_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite3");
        let ledger = Ledger::open(&path).unwrap();
        let probe = ChangeProbe::open(&path).unwrap();
        let before = probe.version().unwrap();
        assert_eq!(probe.version().unwrap(), before, "nothing happened");
        ledger
            .connection()
            .execute("UPDATE change_counter SET value = value + 1", [])
            .unwrap();
        assert_ne!(probe.version().unwrap(), before);
    }

    #[test]
    fn reads_the_pause_another_process_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite3");
        let mut ledger = Ledger::open(&path).unwrap();
        let probe = ChangeProbe::open(&path).unwrap();
        assert!(!probe.syncing_paused().unwrap());
        ledger.set_syncing_paused(true).unwrap();
        assert!(probe.syncing_paused().unwrap());
        ledger.set_syncing_paused(false).unwrap();
        assert!(!probe.syncing_paused().unwrap());
    }
}
