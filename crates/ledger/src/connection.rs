//! Opening SQLite connections with the settings every Tributary connection uses.

use crate::error::{LedgerError, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// How long a writer waits for another process (the app, the CLI, the daemon) to finish its write.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if needed) a read-write connection: WAL so that readers never block the writer,
/// `synchronous=NORMAL` (durable at checkpoints, never corrupt), foreign keys enforced.
pub fn open_writer(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|source| LedgerError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    configure(&conn, true).map_err(|source| LedgerError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(conn)
}

/// Opens a read-only connection for reports; it sees the last committed state.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| LedgerError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    configure(&conn, false).map_err(|source| LedgerError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(conn)
}

pub fn open_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn, true)?;
    Ok(conn)
}

fn configure(conn: &Connection, writer: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if writer {
        // journal_mode answers with a row, so it is queried rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    }
    // A 16 MiB page cache: large imports stay fast while the process stays small.
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16384;",
    )?;
    Ok(())
}
