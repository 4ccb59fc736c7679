//! Opening SQLite connections with the settings every Tributary connection uses.

use crate::error::{LedgerError, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, MAIN_DB};
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
///
/// A file or folder that cannot be written is `LedgerError::ReadOnly`, for the caller to open it for
/// reading instead (SQLite opens such a file read-only without saying so; a writable file in a read-only
/// folder fails when WAL needs its `-shm` file).
pub fn open_writer(path: &Path) -> Result<Connection> {
    let read_only = || LedgerError::ReadOnly {
        path: path.to_path_buf(),
    };
    let conn = Connection::open(path).map_err(|reason| match reason.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => read_only(),
        _ => LedgerError::Open {
            path: path.to_path_buf(),
            reason,
        },
    })?;
    if conn.is_readonly(MAIN_DB).unwrap_or(false) {
        return Err(read_only());
    }
    configure(&conn, true).map_err(|reason| match reason.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            read_only()
        }
        _ => LedgerError::Open {
            path: path.to_path_buf(),
            reason,
        },
    })?;
    Ok(conn)
}

/// Opens a read-only connection for reports; it sees the last committed state.
pub fn open_reader(path: &Path) -> Result<Connection> {
    open_configured_reader(
        path,
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// A reader opened on `target` (the file, or a `file:` URI of it) with `flags`, configured; errors
/// name the ledger at `path`.
fn open_configured_reader(
    path: &Path,
    target: impl AsRef<Path>,
    flags: OpenFlags,
) -> Result<Connection> {
    let failed = |reason| LedgerError::Open {
        path: path.to_path_buf(),
        reason,
    };
    let conn = Connection::open_with_flags(target, flags).map_err(failed)?;
    configure(&conn, false).map_err(failed)?;
    Ok(conn)
}

/// Opens a ledger whose file or folder cannot be written, for reading. A WAL database needs its `-shm`
/// file, which a read-only folder cannot get once the last writer has cleaned up; the file is then whole
/// (every commit checkpointed into it), and is opened as immutable: nobody who can only read the folder
/// can change it meanwhile.
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|reason| LedgerError::Open {
        path: path.to_path_buf(),
        reason,
    })?;
    let probe = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    match probe {
        Ok(_) => {
            configure(&conn, false).map_err(|reason| LedgerError::Open {
                path: path.to_path_buf(),
                reason,
            })?;
            return Ok(conn);
        }
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)
            ) && !wal_of(path).exists() => {}
        Err(reason) => {
            return Err(LedgerError::Open {
                path: path.to_path_buf(),
                reason,
            })
        }
    }
    drop(conn);
    open_configured_reader(
        path,
        format!("file:{}?immutable=1", uri_path(path)),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

fn wal_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push("-wal");
    path.with_file_name(name)
}

/// `path` as the path of a `file:` URI: every byte but unreserved ones and `/` percent-encoded.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn open_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn, true)?;
    Ok(conn)
}

fn configure(conn: &Connection, writer: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The writer's per-row statements (writes, undo, settlements, deliveries, rollups) are more than
    // rusqlite's default 16: past it, the least recent is parsed again for every row.
    conn.set_prepared_statement_cache_capacity(64);
    // Plans never depend on the values bound: otherwise SQLite prepares some statements again every
    // time they are bound (a parameter it could compare with a partial index's condition, say).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
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
