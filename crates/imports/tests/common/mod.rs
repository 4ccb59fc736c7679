//! What the mapped-CSV tests share: reading a whole file through a mapping, and what of an event they
//! compare.

use tributary_imports::mapping::{MappedCsvReader, Mapping};
use tributary_imports::{FileError, Item};
use tributary_model::{EventKind, NewEvent, RowError};

/// Every event and rejected row of `bytes` read through `mapping`, and how many rows were skipped.
pub fn read(
    bytes: &[u8],
    mapping: Mapping,
) -> Result<(Vec<NewEvent>, Vec<RowError>, u64), FileError> {
    let mut reader = MappedCsvReader::new(bytes, mapping)?;
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    while let Some(item) = reader.next_item()? {
        match item {
            Item::Event(e) => events.push(e),
            Item::Rejected(e) => errors.push(e),
        }
    }
    Ok((events, errors, reader.skipped()))
}

/// (external id, kind, instant, gross, fees, net, quantity, currency)
pub type Summary = (String, EventKind, String, i64, i64, i64, i64, String);

/// What a test compares of an event.
pub fn summary(e: &NewEvent) -> Summary {
    (
        e.external_id.clone(),
        e.kind,
        e.occurred_at.to_rfc3339(),
        e.gross_minor,
        e.fees_minor,
        e.net_minor,
        e.quantity,
        e.currency.code().to_string(),
    )
}
