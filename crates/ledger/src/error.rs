//! What can go wrong in the ledger, as variants a caller can act on.

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
    #[error("schema migration {version} ({name}) failed: {source}")]
    Migration {
        version: i64,
        name: &'static str,
        source: rusqlite::Error,
    },
    #[error("could not open the ledger at {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("could not wait for a turn to write the ledger ({path}): {reason}")]
    Turns { path: PathBuf, reason: String },
    #[error("there is no import batch {0}")]
    BatchNotFound(i64),
    #[error("import batch {0} was already undone")]
    BatchAlreadyUndone(i64),
    #[error(
        "the ledger holds a value it cannot read back ({0}); the file may have been edited by hand"
    )]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
