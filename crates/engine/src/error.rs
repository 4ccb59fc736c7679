//! Errors the engine reports, each naming the place (file, batch) and the reason in one line.

use crate::ErrorCode;
use std::path::PathBuf;
use tributary_model::FailureClass;

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
    /// The ledger's file could not be written (a full disk, a failing one), during the work on `file`.
    #[error("{}could not write the ledger at {}: {reason}; nothing was changed", .file.as_ref().map(|f| format!("{}: ", f.display())).unwrap_or_default(), .ledger.display())]
    Storage {
        file: Option<PathBuf>,
        ledger: PathBuf,
        reason: String,
        full: bool,
    },
    /// A platform refused or failed a connection's request; the class says what to do.
    #[error("{0}")]
    Connector(#[from] tributary_connectors::ConnectorError),
    #[error("{0}")]
    Secrets(#[from] tributary_secrets::SecretError),
    #[error("the connection \"{name}\" needs reconnecting ({reason})")]
    NeedsReconnect { name: String, reason: String },
    #[error("the connection \"{name}\" has no saved credential in {store}")]
    CredentialMissing { name: String, store: String },
    /// Connecting without `--account` where the platform's events are under several accounts.
    #[error("the ledger holds {platform} events under several accounts ({}): choose the one this connection books under (--account)", .accounts.join(", "))]
    AccountAmbiguous {
        platform: String,
        accounts: Vec<String>,
    },
    /// A browser sign-in that did not finish: declined, a forged or stale answer, no answer in
    /// time, or cancelled. Nothing was stored.
    #[error("{0}")]
    SignInIncomplete(String),
    #[error("{0}")]
    EmailInvalid(String),
    #[error("the email was not sent: {0}")]
    EmailNotSent(#[from] tributary_email::SendError),
    #[error(transparent)]
    Ledger(#[from] tributary_ledger::LedgerError),
}

impl EngineError {
    /// A stable code a UI can switch on.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code as the enum the window gets in its bindings.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            EngineError::File { .. } => ErrorCode::FileUnreadable,
            EngineError::StrictRejected { .. } => ErrorCode::RowsRejected,
            EngineError::Mapping { .. } => ErrorCode::MappingInvalid,
            EngineError::UnknownFormat(_) | EngineError::UnrecognizedFile { .. } => {
                ErrorCode::UnknownFormat
            }
            EngineError::DataDir { .. } | EngineError::NoDefaultDataDir => ErrorCode::DataDir,
            EngineError::Output { .. } => ErrorCode::Output,
            EngineError::Query { .. } => ErrorCode::QueryInvalid,
            EngineError::Settings { .. } => ErrorCode::Settings,
            EngineError::Storage { .. } => ErrorCode::Storage,
            EngineError::Ledger(tributary_ledger::LedgerError::ReadOnly { .. }) => {
                ErrorCode::ReadOnly
            }
            EngineError::Ledger(tributary_ledger::LedgerError::NewerSchema { .. }) => {
                ErrorCode::NewerSchema
            }
            EngineError::Ledger(tributary_ledger::LedgerError::BatchNotFound(_)) => {
                ErrorCode::BatchNotFound
            }
            EngineError::Ledger(tributary_ledger::LedgerError::BatchAlreadyUndone(_)) => {
                ErrorCode::BatchAlreadyUndone
            }
            EngineError::Ledger(tributary_ledger::LedgerError::UnknownStoredZone(_)) => {
                ErrorCode::TimeZone
            }
            EngineError::Ledger(tributary_ledger::LedgerError::ScheduleOutOfRange(_)) => {
                ErrorCode::QueryInvalid
            }
            EngineError::Connector(e) => match e.class {
                FailureClass::Authentication => ErrorCode::PlatformRefusedCredential,
                FailureClass::Configuration => ErrorCode::PlatformConfiguration,
                FailureClass::RateLimit => ErrorCode::PlatformRateLimited,
                FailureClass::Transient => ErrorCode::PlatformUnreachable,
                FailureClass::UnexpectedData => ErrorCode::PlatformUnexpectedData,
            },
            EngineError::Secrets(_) => ErrorCode::SecretStore,
            EngineError::NeedsReconnect { .. } | EngineError::CredentialMissing { .. } => {
                ErrorCode::NeedsReconnect
            }
            EngineError::Ledger(tributary_ledger::LedgerError::ConnectionNotFound(_)) => {
                ErrorCode::ConnectionNotFound
            }
            EngineError::Ledger(tributary_ledger::LedgerError::ConnectionBusy { .. }) => {
                ErrorCode::ConnectionBusy
            }
            EngineError::AccountAmbiguous { .. } => ErrorCode::AccountAmbiguous,
            EngineError::SignInIncomplete(_) => ErrorCode::SignInIncomplete,
            EngineError::EmailInvalid(_) => ErrorCode::EmailInvalid,
            EngineError::EmailNotSent(_) => ErrorCode::EmailNotSent,
            EngineError::Ledger(tributary_ledger::LedgerError::ConnectionNameTaken(_)) => {
                ErrorCode::ConnectionNameTaken
            }
            EngineError::Ledger(tributary_ledger::LedgerError::BadConnectionName(_)) => {
                ErrorCode::ConnectionNameInvalid
            }
            EngineError::Ledger(_) => ErrorCode::Ledger,
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
            EngineError::Storage { full: true, .. } => {
                Some("Free some space on the disk that holds the data folder, then try again.")
            }
            EngineError::Storage { .. } => Some("Check the disk that holds the data folder."),
            EngineError::Ledger(tributary_ledger::LedgerError::ReadOnly { .. }) => {
                Some("Make the data folder writable, or choose another one.")
            }
            EngineError::Ledger(tributary_ledger::LedgerError::NewerSchema { .. }) => Some(
                "This ledger was written by a newer Tributary: update the app to open it.",
            ),
            EngineError::Ledger(tributary_ledger::LedgerError::BatchNotFound(_)) => {
                Some("The batch list has changed; reload it.")
            }
            EngineError::Ledger(tributary_ledger::LedgerError::UnknownStoredZone(_)) => {
                Some("Choose a time zone this machine knows; the ledger's days are counted again in it.")
            }
            _ => None,
        }
    }
}

impl EngineError {
    /// A write to the ledger that failed for its storage (not for what was written) as `Storage`,
    /// naming the ledger's file and the file being worked on; any other error as it is.
    pub(crate) fn naming_storage(
        self,
        ledger: &std::path::Path,
        file: Option<&std::path::Path>,
    ) -> EngineError {
        use tributary_ledger::StorageFailure;
        let EngineError::Ledger(inner) = &self else {
            return self;
        };
        let (full, reason) = match inner.storage_failure() {
            Some(StorageFailure::DiskFull) => (true, "the disk is full"),
            Some(StorageFailure::Io) => (false, "writing to the disk failed"),
            None => return self,
        };
        EngineError::Storage {
            file: file.map(std::path::Path::to_path_buf),
            ledger: ledger.to_path_buf(),
            reason: reason.into(),
            full,
        }
    }
}

/// An I/O failure in words a person understands, without the decorations libraries add (a temporary
/// file's path, the OS error number).
pub(crate) fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull => "the disk is full".into(),
        ErrorKind::QuotaExceeded => "the disk quota is used up".into(),
        ErrorKind::FileTooLarge => "the file would be larger than this system allows".into(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::NotFound => "the folder does not exist".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_ledger::LedgerError;

    #[test]
    fn a_connection_name_refused_has_its_own_code_not_the_ledgers() {
        let taken = EngineError::Ledger(LedgerError::ConnectionNameTaken("shop".into()));
        let invalid = EngineError::Ledger(LedgerError::BadConnectionName("my shop".into()));
        assert_eq!(taken.error_code(), ErrorCode::ConnectionNameTaken);
        assert_eq!(invalid.code(), "connection_name_invalid");
        assert!(invalid.error_code().words().is_some());
    }
}
