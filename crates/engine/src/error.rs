//! Errors the engine reports, each naming the place (file, batch) and the reason in one line.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
    #[error("{path}: {first} (strict import: nothing from this file was imported)")]
    StrictRejected {
        path: PathBuf,
        first: tributary_model::RowError,
    },
    #[error("{path}: {reason}")]
    Mapping { path: PathBuf, reason: String },
    #[error("{0}")]
    UnknownFormat(String),
    #[error("the data folder {path} cannot be used: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("no data folder was given and this system has no standard one; pass --data-dir")]
    NoDefaultDataDir,
    #[error("could not write {path}: {reason}")]
    Output { path: String, reason: String },
    #[error(transparent)]
    Ledger(#[from] tributary_ledger::LedgerError),
}

impl EngineError {
    /// A stable code a UI can switch on.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::File { .. } => "file_unreadable",
            EngineError::StrictRejected { .. } => "rows_rejected",
            EngineError::Mapping { .. } => "mapping_invalid",
            EngineError::UnknownFormat(_) => "unknown_format",
            EngineError::DataDir { .. } | EngineError::NoDefaultDataDir => "data_dir",
            EngineError::Output { .. } => "output",
            EngineError::Ledger(tributary_ledger::LedgerError::NewerSchema { .. }) => {
                "newer_schema"
            }
            EngineError::Ledger(tributary_ledger::LedgerError::BatchNotFound(_)) => {
                "batch_not_found"
            }
            EngineError::Ledger(tributary_ledger::LedgerError::BatchAlreadyUndone(_)) => {
                "batch_already_undone"
            }
            EngineError::Ledger(_) => "ledger",
        }
    }
}
