//! The one loop every row written to the ledger goes through, a file's rows and a sync page's events
//! alike: each event written; one refused (by its reader, or by the ledger for a value past its bounds)
//! either stops the whole write (strict) or is kept as a row error while the rest goes on.

use tributary_ledger::{BatchWriter, LedgerError, RowError, SyncPageWriter, WriteOutcome};
use tributary_model::NewEvent;

/// Row errors handed back to the caller (all are counted; the ledger keeps the first thousand too).
pub(crate) const ERRORS_REPORTED: usize = 1_000;

/// A row as it arrives: an event to write, or one its reader already refused.
pub(crate) enum Row<'a> {
    Event(&'a NewEvent),
    Refused(&'a RowError),
}

/// Where rows go: an import batch, or a sync page.
pub(crate) trait EventSink {
    fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome, LedgerError>;
    fn reject(&mut self, error: &RowError) -> Result<(), LedgerError>;
}

impl EventSink for BatchWriter<'_> {
    fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome, LedgerError> {
        BatchWriter::write(self, event)
    }
    fn reject(&mut self, error: &RowError) -> Result<(), LedgerError> {
        BatchWriter::reject(self, error)
    }
}

/// A sync page, with the page's name for the errors it keeps.
pub(crate) struct Page<'w, 'c> {
    pub writer: &'w mut SyncPageWriter<'c>,
    pub label: &'w str,
}

impl EventSink for Page<'_, '_> {
    fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome, LedgerError> {
        self.writer.write(event)
    }
    fn reject(&mut self, error: &RowError) -> Result<(), LedgerError> {
        self.writer.reject(self.label, error)
    }
}

/// Why the loop stopped before the end.
pub(crate) enum Stopped {
    /// A strict write met this refused row: nothing of it may land.
    Strict(RowError),
    Ledger(LedgerError),
}

impl From<LedgerError> for Stopped {
    fn from(e: LedgerError) -> Self {
        Stopped::Ledger(e)
    }
}

/// Writes `rows` into `sink`, keeping refused ones (the first `ERRORS_REPORTED` also in `errors`).
pub(crate) fn write_rows<'a>(
    sink: &mut impl EventSink,
    rows: impl IntoIterator<Item = Row<'a>>,
    strict: bool,
    errors: &mut Vec<RowError>,
) -> Result<(), Stopped> {
    for row in rows {
        let refused = match row {
            Row::Event(event) => match sink.write(event)? {
                WriteOutcome::Rejected(error) => error,
                _ => continue,
            },
            Row::Refused(error) => error.clone(),
        };
        if strict {
            return Err(Stopped::Strict(refused));
        }
        sink.reject(&refused)?;
        if errors.len() < ERRORS_REPORTED {
            errors.push(refused);
        }
    }
    Ok(())
}
