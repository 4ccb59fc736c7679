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
    /// A CSV whose header matches no format and no saved mapping.
    #[error("{path}: {reason}")]
    UnrecognizedFile { path: PathBuf, reason: String },
    #[error("the data folder {path} cannot be used: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("no data folder was given and this system has no standard one; pass --data-dir")]
    NoDefaultDataDir,
    #[error("could not write {path}: {reason}")]
    Output { path: String, reason: String },
    #[error("{reason}")]
    Query { reason: String },
    #[error("{path}: {reason}")]
    Settings { path: PathBuf, reason: String },
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
            EngineError::UnknownFormat(_) | EngineError::UnrecognizedFile { .. } => {
                "unknown_format"
            }
            EngineError::DataDir { .. } | EngineError::NoDefaultDataDir => "data_dir",
            EngineError::Output { .. } => "output",
            EngineError::Query { .. } => "query_invalid",
            EngineError::Settings { .. } => "settings",
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

    /// What the person can do about it, when there is something to say beyond the message.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            EngineError::UnknownFormat(_) | EngineError::UnrecognizedFile { .. } => Some(
                "Choose the file's format, or describe its columns in a column mapping (a CSV only).",
            ),
            EngineError::StrictRejected { .. } => {
                Some("Fix the row in the file, or import without --strict to keep the other rows.")
            }
            EngineError::Mapping { .. } => Some("Correct the mapping and preview the file again."),
            EngineError::DataDir { .. } => Some(
                "Check that the folder exists and is writable, or choose another with TRIBUTARY_DATA_DIR.",
            ),
            EngineError::NoDefaultDataDir => Some("Set TRIBUTARY_DATA_DIR to a folder for the ledger."),
            EngineError::Ledger(tributary_ledger::LedgerError::NewerSchema { .. }) => Some(
                "This ledger was written by a newer Tributary: update the app to open it.",
            ),
            EngineError::Ledger(tributary_ledger::LedgerError::BatchNotFound(_)) => {
                Some("The batch list has changed; reload it.")
            }
            _ => None,
        }
    }
}
