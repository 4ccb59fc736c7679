//! What the mapped-CSV tests share: reading a whole file through a mapping.

use tributary_imports::mapping::{MappedCsvReader, Mapping};
use tributary_imports::{FileError, Item};
use tributary_model::{NewEvent, RowError};

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
