//! Reasons a whole file cannot be imported (as opposed to a single row, which is a `RowError`).

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a {format} file: the header lacks {missing}")]
    MissingColumns { format: String, missing: String },
    #[error("the column mapping is wrong: {0}")]
    Mapping(String),
    #[error("{0}")]
    Unrecognized(String),
    /// A readable CSV whose header matches no format and no saved mapping: a column mapping can read it.
    #[error("{0}")]
    UnknownHeader(String),
    #[error("the header names column '{0}' twice")]
    DuplicateColumn(String),
    #[error("line {line}: {reason}")]
    Malformed { line: u64, reason: String },
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl FileError {
    pub(crate) fn from_csv(error: csv::Error) -> FileError {
        let line = error.position().map_or(0, |p| p.line());
        match error.into_kind() {
            csv::ErrorKind::Io(io) => FileError::Io(io),
            other => FileError::Malformed {
                line,
                reason: format!("{other:?}"),
            },
        }
    }
}
