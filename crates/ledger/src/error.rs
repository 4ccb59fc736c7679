//! What can go wrong in the ledger, as variants a caller can act on. Each message says its cause once:
//! a SQLite error is part of the message, not a separate cause that a caller printing the chain of
//! causes would repeat.

use rusqlite::ErrorCode;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("the ledger at {path} was written by a newer Tributary (schema version {found}; this build knows up to {supported}); update Tributary to open it")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("could not back up {path} before upgrading it: {reason}")]
    Backup { path: PathBuf, reason: String },
    #[error("schema migration {version} ({name}) failed: {}", describe(.reason))]
    Migration {
        version: i64,
        name: &'static str,
        reason: rusqlite::Error,
    },
    #[error("could not open the ledger at {path}: {}", describe(.reason))]
    Open {
        path: PathBuf,
        reason: rusqlite::Error,
    },
    /// The ledger can be read but not written: its file or its folder is read-only.
    #[error("the data folder {} is read-only: Tributary can read the ledger there but not write to it (check the folder's permissions)", folder_of(.path))]
    ReadOnly { path: PathBuf },
    /// A read-only ledger from an older build: reading it needs an upgrade, which needs writing.
    #[error("the ledger at {path} needs upgrading to this version of Tributary (schema {found} to {supported}), which needs write access, and its folder is read-only")]
    ReadOnlyOutdated {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("could not wait for a turn to write the ledger ({path}): {reason}")]
    Turns { path: PathBuf, reason: String },
    /// The rollup deltas that outgrew memory could not be written to (or read back from) disk.
    #[error("could not use a temporary file beside the ledger: {0}")]
    Spill(String),
    #[error("there is no import batch {0}")]
    BatchNotFound(i64),
    #[error("import batch {0} was already undone")]
    BatchAlreadyUndone(i64),
    #[error("there is no connection \"{0}\" (`tributary connections` lists them)")]
    ConnectionNotFound(String),
    #[error("a connection is already called \"{0}\"; choose another name")]
    ConnectionNameTaken(String),
    #[error("\"{0}\" cannot name a connection: use letters, digits, - and _ (up to 64, not only digits)")]
    BadConnectionName(String),
    #[error("the connection \"{0}\" is disconnected; connect it again to sync")]
    ConnectionDisconnected(String),
    #[error("the connection \"{name}\" is being synced by {holder} (until {until} at the latest)")]
    ConnectionBusy {
        name: String,
        holder: String,
        until: String,
    },
    #[error("there is no sync run {0}")]
    SyncRunNotFound(i64),
    #[error("a connection syncs every 15 minutes to once a day, not every {0} seconds")]
    ScheduleOutOfRange(u32),
    #[error("there is no job {0}")]
    JobNotFound(i64),
    #[error("job {id} is {status}{}, not held by this worker", .holder.as_ref().map(|h| format!(" (held by {h})")).unwrap_or_default())]
    JobNotHeld {
        id: i64,
        status: String,
        holder: Option<String>,
    },
    #[error("job {id} is {status}: only a dead job can be retried")]
    JobNotDead { id: i64, status: String },
    #[error("job {id} is not retried: job {other} does the same and is still to run")]
    JobPending { id: i64, other: i64 },
    #[error("sync run {0} was already undone")]
    SyncRunAlreadyUndone(i64),
    #[error("sync run {0} is still running")]
    SyncRunRunning(i64),
    #[error(
        "the ledger holds a value it cannot read back ({0}); the file may have been edited by hand"
    )]
    Corrupt(String),
    #[error("the ledger counts its days in the time zone '{0}', which this machine's time zone database does not know; choose another zone")]
    UnknownStoredZone(String),
    #[error("{}", describe(.0))]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> LedgerError {
        LedgerError::Sqlite(e)
    }
}

/// Why a write failed when it was the disk's doing, not the data's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFailure {
    DiskFull,
    Io,
}

impl LedgerError {
    /// Whether the disk under the ledger failed this write (full, or an I/O error).
    pub fn storage_failure(&self) -> Option<StorageFailure> {
        match self.sqlite_code()? {
            ErrorCode::DiskFull => Some(StorageFailure::DiskFull),
            ErrorCode::SystemIoFailure => Some(StorageFailure::Io),
            _ => None,
        }
    }

    /// The SQLite error code underneath, if any: what tells a full disk or a read-only file.
    pub fn sqlite_code(&self) -> Option<ErrorCode> {
        match self {
            LedgerError::Migration { reason, .. } | LedgerError::Open { reason, .. } => {
                reason.sqlite_error_code()
            }
            LedgerError::Sqlite(e) => e.sqlite_error_code(),
            _ => None,
        }
    }
}

fn folder_of(path: &std::path::Path) -> String {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A SQLite error in words, once (rusqlite repeats the message of an error SQLite described).
fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full".into(),
        Some(ErrorCode::ReadOnly) => "its file or folder is read-only".into(),
        Some(ErrorCode::NotADatabase) => "the file is not a ledger (not a SQLite database)".into(),
        Some(ErrorCode::DatabaseCorrupt) => "the file is damaged".into(),
        Some(ErrorCode::SystemIoFailure) => {
            "reading or writing the file failed (disk I/O error)".into()
        }
        Some(ErrorCode::CannotOpen) => "the file cannot be opened".into(),
        _ => match e {
            rusqlite::Error::SqliteFailure(_, Some(message)) => {
                format!("database error: {message}")
            }
            other => format!("database error: {other}"),
        },
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
