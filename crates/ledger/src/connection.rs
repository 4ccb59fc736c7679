//! Opening SQLite connections with the settings every Tributary connection uses.

use crate::error::{LedgerError, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// The writer's page cache when no write is under way. A write shares this memory between the page
/// cache and its rollup deltas (`rollups::DELTA_BYTES_BUDGET`), so that a re-import, which sums nothing,
/// gets the whole of it, and a first import stays well under 64 MB.
pub(crate) const WRITER_CACHE_BYTES: usize = 40 << 20;
/// The page cache a write keeps however much its deltas hold, and what readers (reports) get.
pub(crate) const MIN_CACHE_BYTES: usize = 16 << 20;

/// Sets the page cache of `conn` to about `bytes`.
pub(crate) fn set_cache_bytes(conn: &Connection, bytes: usize) -> rusqlite::Result<()> {
    // A negative cache_size is in KiB.
    conn.pragma_update(None, "cache_size", -((bytes / 1024) as i64))
}

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
        // Only takes effect on a new file (before WAL is on): 8 KiB pages made a large import ~7%
        // faster than 4 KiB (fewer B-tree splits and levels); 16 KiB gained nothing more.
        conn.execute_batch("PRAGMA page_size = 8192;")?;
        // journal_mode answers with a row, so it is queried rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    }
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    set_cache_bytes(
        conn,
        if writer {
            WRITER_CACHE_BYTES
        } else {
            MIN_CACHE_BYTES
        },
    )
}
